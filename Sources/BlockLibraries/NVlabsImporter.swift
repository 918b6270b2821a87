import ModelArchitecture
import Foundation
import PuzzleCore

/// Imports the NVlabs/puzzle `block_library.json` layout:
/// `{"layer_0": {"<variant name>": {"stats": {...}, "metrics": {"kl_div": ..., "lm_loss": ...}}, ...}, ...}`.
///
/// Every layer becomes a **joint** layer (NVlabs scores whole (attention, FFN) pairs). The
/// variant name is kept verbatim; its typed variants come from the stats `num_kv_heads` and
/// `ffn_intermediate_size` (exact, where the names round: `29e3`), with the name deciding between
/// no-op and linear when a count is 0 (the released file writes `no_op`). All stats and metrics
/// are kept as they are. Metric directions follow their names (`kl_div`, `lm_loss`: lower).
///
/// The file names no parent: pass one, or it is guessed among the built-ins with the file's layer
/// count and whose block equals the largest variant (most KV heads, largest FFN) — preferring a
/// built-in whose name occurs in the file's path (`.../nvlabs-puzzle-llama-3.3-70b/...`).
/// `measurement_info.json` beside the file gives the measurement scenario.
enum NVlabsImporter {
    static func looksLikeNVlabs(_ value: JSONValue) -> Bool {
        guard let o = value.objectValue, let first = o.keys.first else { return false }
        return first.hasPrefix("layer_")
    }

    /// - Complexity: O(variants x (stats + metrics)).
    static func read(_ root: JSONReader, path: String, options: ImportOptions) throws -> BlockLibrary {
        let file = root.file
        let object = try root.object
        // Layer indices first: the parent guess needs the count and the largest block.
        var entries: [(index: Int, reader: JSONReader)] = []
        for key in object.keys {
            guard key.hasPrefix("layer_"), let index = Int(key.dropFirst("layer_".count)), index >= 0 else {
                throw DataError(file: file, location: key, "expected a key layer_N (N = 0, 1, ...)")
            }
            guard let r = try root.optional(key) else { throw DataError(file: file, location: key, "expected an object of variants") }
            entries.append((index, r))
        }
        var raw: [(index: Int, name: String, kv: Int?, ffnSize: Int?, reader: JSONReader)] = []
        var maxKV = 0
        var maxFFN = 0
        for (index, r) in entries {
            for name in try r.object.keys {
                guard let v = try r.optional(name) else { throw DataError(file: file, location: r.child(name), "expected an object") }
                let stats = try v.optional("stats")
                let kv = try stats?.optional("num_kv_heads")?.int
                let ffnSize = try stats?.optional("ffn_intermediate_size")?.int
                maxKV = max(maxKV, kv ?? 0)
                maxFFN = max(maxFFN, ffnSize ?? 0)
                raw.append((index, name, kv, ffnSize, v))
            }
        }
        let layerCount = (entries.map(\.index).max() ?? -1) + 1
        var notes: [String] = []
        let parent: Architecture
        if let given = options.parent {
            parent = given
        } else {
            parent = try guessParent(layers: layerCount, kvHeads: maxKV, intermediateSize: maxFFN, path: path, file: file)
            notes.append("parent guessed as \(parent.name) from \(layerCount) layers, \(maxKV) KV heads, FFN \(maxFFN); give the parent to choose another")
        }
        let d = parent.dimensions

        var metrics: [Metric] = []
        var byLayer: [Int: [Candidate]] = [:]
        for item in raw {
            let place = "layer_\(item.index).\(item.name)"
            let parts = item.name.components(separatedBy: "&&").map { $0.trimmedOf(" \t") }
            let attentionText = parts.first { $0.lowercased().hasPrefix("attention") }
            let ffnText = parts.first { $0.lowercased().hasPrefix("ffn") }
            let attention: AttentionVariant
            if let kv = item.kv {
                if kv > 0 {
                    attention = .gqa(kvHeads: kv)
                } else if let t = attentionText, VariantNames.attention(t, dimensions: d) == .linear {
                    attention = .linear
                } else {
                    attention = .noOp
                }
            } else if let t = attentionText, let a = VariantNames.attention(t, dimensions: d) {
                attention = a
            } else {
                throw DataError(file: file, location: place, "unknown attention variant (no stats.num_kv_heads and the name does not say)")
            }
            let ffn: FFNVariant
            if let n = item.ffnSize {
                if n > 0 {
                    ffn = .swiGLU(intermediateSize: n)
                } else if let t = ffnText, VariantNames.ffn(t, dimensions: d) == .linear {
                    ffn = .linear
                } else {
                    ffn = .noOp
                }
            } else if let t = ffnText, let f = VariantNames.ffn(t, dimensions: d), !t.lowercased().contains("e3") {
                ffn = f
            } else {
                throw DataError(file: file, location: place, "unknown FFN size (no stats.ffn_intermediate_size and the name does not give an exact size)")
            }
            let scores = try NativeFormat.numbers(try item.reader.optional("metrics"), place: "\(place).metrics")
            let stats = try NativeFormat.numbers(try item.reader.optional("stats"), place: "\(place).stats")
            for key in scores.keys.sorted() where !metrics.contains(where: { $0.name == key }) {
                guard let direction = options.directions[key] ?? Metric.conventionalDirection(of: key) else {
                    throw LibraryImportError.unknownMetricDirection(file: file, location: "\(place).metrics.\(key)", metric: key)
                }
                metrics.append(Metric(key, direction: direction))
            }
            byLayer[item.index, default: []].append(Candidate(name: item.name, attention: attention, ffn: ffn, scores: scores, stats: stats))
        }
        // kl_div first: the default objective.
        metrics = metrics.filter { $0.name == "kl_div" } + metrics.filter { $0.name != "kl_div" }
        let layers = byLayer.keys.sorted().map { LayerCandidates(index: $0, layout: .joint(byLayer[$0] ?? [])) }
        var metadata = JSONObject()
        metadata["source"] = .string("NVlabs/puzzle block_library.json")
        metadata["imported_from"] = .string(file)
        metadata["synthetic"] = .bool(false)
        if !notes.isEmpty { metadata["notes"] = .array(notes.map(JSONValue.string)) }
        var measurement = options.measurement
        if measurement == nil, path != "-" {
            let beside = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("measurement_info.json").path
            if FileManager.default.fileExists(atPath: beside) {
                let r = try JSONReader.parse(try FileIO.read(beside), file: beside)
                measurement = try MeasurementScenario.read(r)
            }
        }
        var library = BlockLibrary(parent: parent, metrics: metrics, layers: layers, measurement: measurement, metadata: metadata)
        // NVlabs names say nothing about windows: a layer keeps its parent layer's attention type.
        library.resolveWindows { VariantNames.spellsWindow($0.name) }
        return library
    }

    /// The built-in parent with `layers` layers whose parent block is (kvHeads, intermediateSize);
    /// among several, the one named in `path`, else the first.
    static func guessParent(layers: Int, kvHeads: Int, intermediateSize: Int, path: String, file: String) throws(LibraryImportError) -> Architecture {
        let matches = BuiltinModels.names.compactMap { BuiltinModels.architecture($0) }.filter {
            $0.layers.count == layers && $0.dimensions.kvHeads == kvHeads && $0.dimensions.intermediateSize == intermediateSize
        }
        let lowerPath = path.lowercased()
        if let named = matches.first(where: { lowerPath.contains($0.name.lowercased()) }) { return named }
        guard let first = matches.first else {
            throw LibraryImportError.noBuiltinParentMatches(file: file, layers: layers, kvHeads: kvHeads, intermediateSize: intermediateSize)
        }
        return first
    }
}
