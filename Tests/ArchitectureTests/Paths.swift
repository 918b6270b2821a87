import Foundation

/// Locations of the repository and of the read-only `../shared` data beside it.
enum Paths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
    static func sharedFile(_ relative: String) -> String { shared.appendingPathComponent(relative).path }
    static var sharedAvailable: Bool {
        FileManager.default.fileExists(atPath: sharedFile("data/model-configs/Llama-3_3-Nemotron-Super-49B-v1.config.json"))
    }
}
