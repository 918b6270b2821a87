import Foundation
import ModelArchitecture
import PuzzleCore
import Search

/// A MODEL argument, loaded: a built-in parent, an HF/DeciLM config, a search manifest (or the
/// K-th of a `--diverse` list, `FILE#K`), from a path or `-` (stdin).
struct LoadedModel {
    /// The argument as given.
    var spec: String
    var architecture: Architecture
    /// The manifest it came from, if any (its costs supply defaults).
    var manifest: ManifestRecord?
}

/// The one MODEL loader every command uses.
enum ModelInput {
    static func load(_ spec: String) throws -> LoadedModel {
        if let builtin = BuiltinModels.architecture(spec) { return LoadedModel(spec: spec, architecture: builtin, manifest: nil) }
        let (path, pick) = try split(spec)
        let file = FileIO.displayName(path)
        let root = try JSONReader.parse(try FileIO.read(path), file: file)
        if let items = root.value.arrayValue {
            guard Manifest.isManifestList(root.value) else {
                throw DataError(file: file, "is a JSON array; expected a config object, a manifest, or a list of manifests (search --diverse)")
            }
            let k = pick ?? 1
            guard k >= 1 && k <= items.count else {
                throw UsageError("\(Excerpt.quoted(spec)): the file holds \(items.count) manifests; expected #1 to #\(items.count)")
            }
            return try fromManifest(try root.array[k - 1], spec: spec)
        }
        if let pick {
            throw UsageError("\(Excerpt.quoted(spec)): #\(pick) picks a child of a --diverse list, but \(file) holds one model")
        }
        if Manifest.isManifest(root.value) { return try fromManifest(root, spec: spec) }
        return LoadedModel(spec: spec, architecture: try ConfigReader.read(root), manifest: nil)
    }

    static func fromManifest(_ r: JSONReader, spec: String) throws -> LoadedModel {
        let record = try Manifest.read(r)
        guard let architecture = record.architecture else {
            let why = record.infeasibleMessage.map { ": \(Excerpt.quoted($0, limit: 160))" } ?? ""
            throw DataError(file: r.file, location: r.path, "is an infeasible search result\(why); it has no child")
        }
        return LoadedModel(spec: spec, architecture: architecture, manifest: record)
    }

    /// `file.json#2` -> (`file.json`, 2) when the part after the last `#` is a number and the whole
    /// string is not itself an existing file; else (spec, nil).
    static func split(_ spec: String) throws(UsageError) -> (String, Int?) {
        guard let hash = spec.lastIndex(of: "#"), !FileManager.default.fileExists(atPath: spec) else { return (spec, nil) }
        let digits = spec[spec.index(after: hash)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return (spec, nil) }
        guard let k = Int(digits), k >= 1 else {
            throw UsageError("\(Excerpt.quoted(spec)): expected FILE#K with K from 1 to the number of children")
        }
        return (String(spec[..<hash]), k)
    }

    /// Several MODEL arguments: standard input may be read only once.
    static func loadAll(_ specs: [String]) throws -> [LoadedModel] {
        let stdin = specs.filter { (try? split($0).0) == "-" }
        guard stdin.count <= 1 else { throw UsageError("standard input (-) can be read only once") }
        return try specs.map(load)
    }
}
