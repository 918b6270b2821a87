import Foundation

/// Reading inputs (a path, or `-` for standard input) and writing outputs atomically.
public enum FileIO {
    /// The bytes of `path`, or of standard input when `path` is `-`.
    public static func read(_ path: String) throws(DataError) -> [UInt8] {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return [UInt8](data)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(file: path, "no such file")
        }
        guard !isDirectory.boolValue else { throw DataError(file: path, "is a directory, expected a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: path, "cannot be read (permissions?)")
        }
        return [UInt8](data)
    }

    /// The display name of an input: `<stdin>` for `-`.
    public static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

    /// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so
    /// that readers never see a half-written file and a failure leaves any old file untouched.
    /// `-` writes to standard output.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(RuntimeFailure) {
        if path == "-" {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try Data(bytes).write(to: temporary, options: [])
            // POSIX rename(2) replaces an existing file atomically (FileManager.replaceItemAt
            // fails on Linux when the target exists).
            guard rename(temporary.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw RuntimeFailure("\(path): cannot write: \(reason)")
            }
        } catch let failure as RuntimeFailure {
            throw failure
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw RuntimeFailure("\(path): cannot write: \(error.localizedDescription)")
        }
    }

    public static func writeAtomically(_ text: String, to path: String) throws(RuntimeFailure) {
        try writeAtomically(Array(text.utf8), to: path)
    }
}
