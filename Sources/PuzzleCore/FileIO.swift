import Foundation

/// Reading inputs (a path, `-` for standard input, or any readable stream: pipes, FIFOs,
/// `/dev/stdin`, process substitutions) and writing outputs (atomically for regular files, in
/// place for devices and FIFOs, through symbolic links to their targets).
///
/// Everything goes through POSIX `open`/`read`/`write`, so that a closed or full stream is an
/// error value, never a trap.
public enum FileIO {
    /// The most bytes one input may have (512 MiB): a larger input, or an endless device such as
    /// `/dev/zero`, is a data error rather than an unbounded allocation.
    public static let maxInputBytes = 512 * 1_048_576

    /// The bytes of `path`, or of standard input when `path` is `-`.
    /// - Throws: `DataError` naming the file: missing, a directory, unreadable, or too large.
    public static func read(_ path: String) throws(DataError) -> [UInt8] {
        let name = displayName(path)
        if path == "-" { return try readAll(fd: 0, name: name) }
        guard !path.isEmpty else { throw DataError(file: "''", "empty path; expected a file name or - for stdin") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT: throw DataError(file: name, "no such file")
            case EACCES: throw DataError(file: name, "cannot be read: permission denied")
            case EISDIR: throw DataError(file: name, "is a directory, expected a file")
            default: throw DataError(file: name, "cannot be read: \(reason(code))")
            }
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw DataError(file: name, "is a directory, expected a file")
        }
        return try readAll(fd: fd, name: name)
    }

    /// Reads `fd` to its end, at most `maxInputBytes`.
    static func readAll(fd: Int32, name: String) throws(DataError) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EISDIR { throw DataError(file: name, "is a directory, expected a file") }
                throw DataError(file: name, "cannot be read: \(reason(code))")
            }
            guard result.count + n <= maxInputBytes else {
                throw DataError(file: name, "is larger than \(maxInputBytes / 1_048_576) MiB; expected a config, library or problem file")
            }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// The display name of an input: `<stdin>` for `-`.
    public static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

    /// The system's text for an `errno` value.
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
    /// - Returns: nil on success, else the `errno` of the failure.
    public static func writeAll(_ bytes: [UInt8], fd: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                Foundation.write(fd, buffer.baseAddress! + offset, bytes.count - offset)
            }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                return code
            }
            if n == 0 { return EIO }
            offset += n
        }
        return nil
    }

    /// Writes `bytes` to `path` (`-`: standard output).
    ///
    /// - A regular file (or a path that does not exist yet) is replaced atomically: a temporary
    ///   file in the same directory, then `rename(2)`, so readers never see half a file and a
    ///   failure leaves the old one untouched. An existing file keeps its permission bits.
    /// - A symbolic link is followed (up to 32 levels): its target is written as above, and the
    ///   link stays a link.
    /// - A character or block device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named pipe)
    ///   is opened and written in place, never replaced by a regular file.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(WriteError) {
        if path == "-" {
            if let code = writeAll(bytes, fd: 1) { throw WriteError(path: "<stdout>", reason: reason(code)) }
            return
        }
        guard !path.isEmpty else { throw WriteError(path: "''", reason: "empty path") }
        let target = try resolveLinks(path)
        var info = stat()
        let exists = stat(target, &info) == 0
        let kind = info.st_mode & S_IFMT
        if exists && kind == S_IFDIR {
            throw WriteError(path: path, reason: "is a directory")
        }
        if exists && kind != S_IFREG {
            // Devices, FIFOs, sockets: write in place.
            let fd = open(target, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw WriteError(path: path, reason: reason(errno)) }
            defer { close(fd) }
            if let code = writeAll(bytes, fd: fd) { throw WriteError(path: path, reason: reason(code)) }
            return
        }
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { target[..<$0].isEmpty ? "/" : String(target[..<$0]) } ?? "."
        let base = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<16 {
            temporary = "\(directory)/.\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw WriteError(path: path, reason: reason(errno)) }
        if exists { _ = fchmod(fd, info.st_mode & 0o7777) }
        if let code = writeAll(bytes, fd: fd) {
            close(fd)
            unlink(temporary)
            throw WriteError(path: path, reason: reason(code))
        }
        if close(fd) != 0 {
            let code = errno
            unlink(temporary)
            throw WriteError(path: path, reason: reason(code))
        }
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw WriteError(path: path, reason: reason(code))
        }
    }

    public static func writeAtomically(_ text: String, to path: String) throws(WriteError) {
        try writeAtomically(Array(text.utf8), to: path)
    }

    /// The path a chain of symbolic links ends at (relative link targets resolved against the
    /// link's directory); `path` itself when it is not a link.
    static func resolveLinks(_ path: String) throws(WriteError) -> String {
        var current = path
        for _ in 0..<32 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n >= 0 else { throw WriteError(path: path, reason: reason(errno)) }
            let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if target.hasPrefix("/") {
                current = target
            } else if let slash = current.lastIndex(of: "/") {
                current = String(current[...slash]) + target
            } else {
                current = target
            }
        }
        throw WriteError(path: path, reason: "too many levels of symbolic links")
    }
}
