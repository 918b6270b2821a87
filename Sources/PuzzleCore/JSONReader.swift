/// Typed access to a parsed JSON document that turns every mismatch into a `DataError` naming
/// the file and the field path, e.g. `config.json: block_configs[3].ffn.ffn_mult: expected a number`.
public struct JSONReader: Sendable {
    public let file: String
    public let path: String
    public let value: JSONValue

    public init(file: String, path: String = "", value: JSONValue) {
        self.file = file
        self.path = path
        self.value = value
    }

    /// Parses text into a reader, mapping syntax errors to `DataError` with the line and column.
    public static func parse(_ bytes: [UInt8], file: String) throws(DataError) -> JSONReader {
        do {
            return JSONReader(file: file, value: try JSONParser.parse(bytes))
        } catch {
            throw DataError(file: file, location: "line \(error.line), column \(error.column)",
                "invalid JSON: \(error.message)")
        }
    }

    public func fail(_ message: String) -> DataError {
        DataError(file: file, location: path, message)
    }

    public func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public var object: JSONObject {
        get throws(DataError) {
            guard let o = value.objectValue else { throw fail("expected an object, found \(value.typeName)") }
            return o
        }
    }

    public var array: [JSONReader] {
        get throws(DataError) {
            guard let a = value.arrayValue else { throw fail("expected an array, found \(value.typeName)") }
            return a.enumerated().map { JSONReader(file: file, path: "\(path)[\($0.offset)]", value: $0.element) }
        }
    }

    public func has(_ key: String) -> Bool {
        guard let v = value[key] else { return false }
        return !v.isNull
    }

    /// The member `key`, or nil when absent or null.
    public func optional(_ key: String) throws(DataError) -> JSONReader? {
        _ = try object
        guard let v = value[key], !v.isNull else { return nil }
        return JSONReader(file: file, path: child(key), value: v)
    }

    /// The member `key`; missing or null is an error.
    public func required(_ key: String) throws(DataError) -> JSONReader {
        guard let r = try optional(key) else {
            throw DataError(file: file, location: child(key), "missing required field")
        }
        return r
    }

    public var int: Int {
        get throws(DataError) {
            guard let i = value.intValue else { throw fail("expected an integer, found \(describe(value))") }
            return i
        }
    }

    /// A finite real number.
    public var double: Double {
        get throws(DataError) {
            guard let d = value.doubleValue else { throw fail("expected a number, found \(describe(value))") }
            guard d.isFinite else { throw fail("expected a finite number") }
            return d
        }
    }

    public var string: String {
        get throws(DataError) {
            guard let s = value.stringValue else { throw fail("expected a string, found \(describe(value))") }
            return s
        }
    }

    public var bool: Bool {
        get throws(DataError) {
            guard let b = value.boolValue else { throw fail("expected true or false, found \(describe(value))") }
            return b
        }
    }

    /// A positive integer (> 0).
    public var positiveInt: Int {
        get throws(DataError) {
            let i = try int
            guard i > 0 else { throw fail("expected a positive integer, found \(i)") }
            return i
        }
    }

    /// An integer in `range`; the error names the range, e.g. `expected an integer from 1 to
    /// 1048576, found 1000000000`.
    public func int(in range: ClosedRange<Int>) throws(DataError) -> Int {
        let i = try int
        guard range.contains(i) else {
            throw fail("expected an integer from \(range.lowerBound) to \(range.upperBound), found \(i)")
        }
        return i
    }

    private func describe(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return "\"\(s.prefix(40))\""
        case .int(let i): return String(i)
        case .double(let d): return JSONWriter.number(d)
        case .bool(let b): return String(b)
        default: return v.typeName
        }
    }
}
