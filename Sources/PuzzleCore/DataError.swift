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

/// A user mistake in how a command was called (unknown flag, bad value). Exit 64.
public struct UsageError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A failure that is neither bad usage nor bad data (I/O, an impossible request). Exit 1.
public struct RuntimeFailure: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
