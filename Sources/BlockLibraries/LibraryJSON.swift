import PuzzleCore

/// Parses JSON for the library readers; a syntax error at a value (NaN, Infinity, a number out
/// of range, a stray token) also names the member it belongs to, found by scanning back from the
/// error to the nearest `"key":`, e.g. `line 12, column 19: invalid JSON: NaN and Infinity are not
/// JSON numbers (field "kl_div")`.
enum LibraryJSON {
    static func parse(_ bytes: [UInt8], file: String) throws(DataError) -> JSONReader {
        do {
            return JSONReader(file: file, value: try JSONParser.parse(bytes))
        } catch {
            var message = "invalid JSON: \(error.message)"
            if let key = keyBefore(line: error.line, column: error.column, in: bytes) { message += " (field \"\(key)\")" }
            throw DataError(file: file, location: "line \(error.line), column \(error.column)", message)
        }
    }

    /// ` (field "NAME")` for an error at (line, column), or "".
    static func fieldNote(line: Int, column: Int, in bytes: [UInt8]) -> String {
        keyBefore(line: line, column: column, in: bytes).map { " (field \"\($0)\")" } ?? ""
    }

    /// The member name just before (line, column), 1-based; nil when there is none on the way back.
    /// - Complexity: O(bytes up to the error).
    static func keyBefore(line: Int, column: Int, in bytes: [UInt8]) -> String? {
        var offset = 0
        var currentLine = 1
        while offset < bytes.count && currentLine < line {
            if bytes[offset] == UInt8(ascii: "\n") { currentLine += 1 }
            offset += 1
        }
        offset = min(bytes.count, offset + max(column - 1, 0))
        // Back over whitespace to a ':'; then the quoted key before it.
        var k = offset - 1
        while k >= 0, [32, 9, 10, 13].contains(bytes[k]) { k -= 1 }
        guard k >= 0, bytes[k] == UInt8(ascii: ":") else { return nil }
        k -= 1
        while k >= 0, [32, 9, 10, 13].contains(bytes[k]) { k -= 1 }
        guard k >= 0, bytes[k] == UInt8(ascii: "\"") else { return nil }
        let end = k
        k -= 1
        while k >= 0, bytes[k] != UInt8(ascii: "\"") { k -= 1 }
        guard k >= 0, end - k - 1 <= 200 else { return nil }
        return String(decoding: bytes[(k + 1)..<end], as: UTF8.self)
    }
}
