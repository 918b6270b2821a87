import PuzzleCore

extension JSONReader {
    /// The required member `key` as an integer from 1 to `limit` (an error names the field and the range).
    func requiredInt(_ key: String, _ limit: Int) throws(DataError) -> Int {
        try required(key).int(in: 1...limit)
    }

    /// The member `key`, when present and not null, as an integer from 1 to `limit`.
    func optionalInt(_ key: String, _ limit: Int) throws(DataError) -> Int? {
        try optional(key)?.int(in: 1...limit)
    }
}
