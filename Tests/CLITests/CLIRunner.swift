import Foundation

/// Runs the built `puzzle` binary (it sits beside the test bundle in the build folder).
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
    static func sharedFile(_ relative: String) -> String { shared.appendingPathComponent(relative).path }
    static var sharedAvailable: Bool { FileManager.default.fileExists(atPath: sharedFile("README.md")) }

    static var binary: String {
        if let explicit = ProcessInfo.processInfo.environment["PUZZLE_BIN"] { return explicit }
        var candidates: [String] = []
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0])
        // The test bundle: .build/<triple>/debug/puzzlePackageTests.xctest (or a directory on macOS).
        var dir = argv0.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("puzzle").path)
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(repository.appendingPathComponent(".build/debug/puzzle").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    /// Runs `puzzle args...` with `stdin` piped in; the working directory is a scratch folder.
    static func run(_ args: [String], stdin: String? = nil, in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = args
        process.currentDirectoryURL = directory ?? repository
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently-safe: outputs here are small, stderr drained after stdout.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh scratch directory.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("puzzle-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
