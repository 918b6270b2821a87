/// Splitting text files into lines as people's tools write them.
public enum TextLines {
    /// The lines of UTF-8 `bytes`: split at LF, CRLF or a lone CR; a leading UTF-8 byte-order mark
    /// is dropped; invalid UTF-8 becomes U+FFFD. A final line end does not make an extra line.
    /// - Complexity: O(n).
    public static func split(_ bytes: [UInt8]) -> [Substring] {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        if let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines
    }
}
