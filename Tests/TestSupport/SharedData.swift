import Foundation

/// The repository and the read-only `../shared` data beside it (absent on a user's fresh clone:
/// tests that need it use `.enabled(if: SharedData.available(...), "...")` and are reported as
/// skipped).
public enum SharedData {
    /// The repository root (this file is Tests/TestSupport/SharedData.swift).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `../shared` beside the repository.
    public static let root = repository.deletingLastPathComponent().appendingPathComponent("shared")

    /// The absolute path of `relative` under `../shared`.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Whether `relative` exists under `../shared`.
    public static func available(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    /// The absolute path of `relative` in the repository.
    public static func repositoryPath(_ relative: String) -> String { repository.appendingPathComponent(relative).path }

    /// Whether `python3 -c "import scipy.optimize"` works (HiGHS comparisons need it).
    public static let scipyAvailable: Bool = {
        guard let r = try? ProcessRunner.run("/usr/bin/env", ["python3", "-c", "import scipy.optimize"], timeoutSeconds: 60) else {
            return false
        }
        return r.status == 0 && !r.timedOut
    }()

    /// A fresh scratch directory under the system's temporary directory.
    public static func scratch(_ prefix: String = "puzzle-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
