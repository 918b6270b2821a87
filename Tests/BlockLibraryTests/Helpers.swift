import ModelArchitecture
import Foundation
import PuzzleCore
import TestSupport
@testable import BlockLibraries

/// The shared NVlabs library, or nil (tests skip) when ../shared is absent.
enum Shared {
    static let nvlabsDirectory = SharedData.path("data/nvlabs-puzzle-llama-3.3-70b")
    static var nvlabsLibrary: String? {
        SharedData.available("data/nvlabs-puzzle-llama-3.3-70b/block_library.json") ? nvlabsDirectory + "/block_library.json" : nil
    }
}

func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("puzzle-blocklib-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Parses `text` as a library (no file on disk), or returns the DataError it throws (other
/// errors, such as a missing parent, are returned as a DataError describing them).
func parseError(_ text: String, format: LibraryFormat = .auto, parent: String? = "llama-3.1-70b", complete: Bool = true) -> DataError? {
    var options = ImportOptions()
    if let parent { options.parent = BuiltinModels.architecture(parent) }
    do {
        let library = try BlockLibrary.parse(Array(text.utf8), file: "test.lib", format: format, options: options)
        try library.validate(file: "test.lib", complete: complete)
        return nil
    } catch let error as DataError {
        return error
    } catch {
        return DataError(file: "test.lib", "\(error)")
    }
}

func parse(_ text: String, format: LibraryFormat = .auto, parent: String = "llama-3.1-70b") throws -> BlockLibrary {
    let library = try BlockLibrary.parse(Array(text.utf8), file: "test.lib", format: format,
        options: ImportOptions(parent: BuiltinModels.architecture(parent)))
    try library.validate(file: "test.lib", complete: false)
    return library
}

/// A small complete decoupled CSV library for llama-3.1-8b (32 layers), two variants per subblock.
func smallCSV(layers: Range<Int> = 0..<32, skipMetricAt: Int? = nil) -> String {
    var out = "layer,subblock,variant,metric,value\n"
    for l in layers {
        out += "\(l),attention,gqa:8,kl_div,0\n"
        if skipMetricAt != l { out += "\(l),attention,noop,kl_div,\(Double(l) * 0.01 + 0.5)\n" }
        out += "\(l),ffn,ffn:14336,kl_div,0\n"
        out += "\(l),ffn,ffn:7168,kl_div,\(Double(l) * 0.001 + 0.1)\n"
    }
    return out
}
