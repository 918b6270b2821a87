/// Bad input data: names the file, where in it (a JSON path such as `block_configs[3].ffn.ffn_mult`
/// or `line 12`), and what was expected. The CLI prints it as one line and exits 65.
public struct DataError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file as the user named it (`-` or `<stdin>` for standard input).
    public var file: String
    /// Where in the file: a field path, a line, or empty for the whole file.
    public var location: String
    /// What is wrong and what was expected.
    public var message: String

    public init(file: String, location: String = "", _ message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        location.isEmpty ? "\(file): \(message)" : "\(file): \(location): \(message)"
    }
}

/// An output that could not be written (a full disk, a closed pipe, a directory that is not
/// there). The CLI prints it as one line and exits 1.
public struct WriteError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The path as the user named it, or `<stdout>`.
    public var path: String
    /// The system's reason (`No space left on device`, ...).
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): cannot write: \(reason)" }
}

/// Short quotations of user input for error messages: at most `limit` characters, control
/// characters escaped, so that an error line never echoes a whole file or breaks the terminal.
public enum Excerpt {
    /// `"abc"`, or `"abcdefgh…" (1234 characters)` when longer than `limit`.
    public static func quoted(_ text: some StringProtocol, limit: Int = 40) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit { break }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        let total = text.unicodeScalars.count
        return total > limit ? "\"\(out)…\" (\(total) characters)" : "\"\(out)\""
    }
}
