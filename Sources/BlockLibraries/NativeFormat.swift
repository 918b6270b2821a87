import ModelArchitecture
import PuzzleCore

/// The native JSON format (`"format": "puzzle-block-library"`, `"version": 1`); see
/// docs/formats.md for the full description.
enum NativeFormat {
    static let formatName = "puzzle-block-library"
    static let version = 1

    static func read(_ root: JSONReader) throws(DataError) -> BlockLibrary {
        let file = root.file
        let format = try root.required("format").string
        guard format == formatName else {
            throw DataError(file: file, location: "format", "expected \"\(formatName)\", found \"\(format)\"")
        }
        let version = try root.required("version").int
        guard version == Self.version else {
            throw DataError(file: file, location: "version", "unsupported version \(version); this puzzle reads version \(Self.version)")
        }
        let parent = try readParent(try root.required("parent"))
        let d = parent.dimensions
        var metrics: [Metric] = []
        for m in try root.required("metrics").array {
            let name = try m.required("name").string
            let directionText = try m.required("direction").string
            guard let direction = Metric.Direction(rawValue: directionText) else {
                throw DataError(file: file, location: m.child("direction"), "expected \"lower\" or \"higher\", found \"\(directionText)\"")
            }
            metrics.append(Metric(name, direction: direction))
        }
        let measurement = try root.optional("measurement").map { r throws(DataError) in try MeasurementScenario.read(r) }
        let metadata = try root.optional("metadata")?.object ?? JSONObject()
        var layers: [LayerCandidates] = []
        for entry in try root.required("layers").array {
            let index = try entry.required("layer").int
            let layoutText = try entry.optional("layout")?.string ?? (entry.has("candidates") ? "joint" : "decoupled")
            let at = "layer \(index)"
            switch layoutText {
            case "decoupled":
                let a = try readGroup(try entry.required("attention"), kind: .attention, dims: d, at: at)
                let f = try readGroup(try entry.required("ffn"), kind: .ffn, dims: d, at: at)
                layers.append(LayerCandidates(index: index, layout: .decoupled(attention: a, ffn: f)))
            case "joint":
                let c = try readGroup(try entry.required("candidates"), kind: .block, dims: d, at: at)
                layers.append(LayerCandidates(index: index, layout: .joint(c)))
            default:
                throw DataError(file: file, location: entry.child("layout"), "expected \"decoupled\" or \"joint\", found \"\(layoutText)\"")
            }
        }
        var library = BlockLibrary(parent: parent, metrics: metrics, layers: layers, measurement: measurement, metadata: metadata)
        library.sortLayers()
        // Native names are exact (gpt-oss `gqa:8` is full attention); families with one window per
        // config give every GQA candidate the parent layer's window.
        library.resolveWindows { _ in true }
        return library
    }

    enum Kind { case attention, ffn, block }

    static func readGroup(_ r: JSONReader, kind: Kind, dims d: ModelDimensions, at: String) throws(DataError) -> [Candidate] {
        var result: [Candidate] = []
        let items = try r.array
        result.reserveCapacity(items.count)
        for item in items {
            let name = try item.required("variant").string
            var attention: AttentionVariant?
            var ffn: FFNVariant?
            let group = kind == .attention ? "attention" : kind == .ffn ? "ffn" : "block"
            let place = "\(at).\(group)[\(name)]"
            if kind != .ffn {
                let text = try item.optional("attention")?.string
                if let text {
                    guard let a = VariantNames.attention(text, dimensions: d) else {
                        throw DataError(file: r.file, location: "\(place).attention", "unknown attention variant \(Excerpt.quoted(text)) (expected gqa:K, linear or noop)")
                    }
                    attention = a
                }
            }
            if kind != .attention {
                let text = try item.optional("ffn")?.string
                if let text {
                    guard let f = VariantNames.ffn(text, dimensions: d) else {
                        throw DataError(file: r.file, location: "\(place).ffn", "unknown FFN variant \(Excerpt.quoted(text)) (expected ffn:N, linear or noop)")
                    }
                    ffn = f
                }
            }
            // Without typed fields, the variant name itself says what it is.
            switch kind {
            case .attention where attention == nil:
                guard let a = VariantNames.attention(name, dimensions: d) else {
                    throw DataError(file: r.file, location: place, "unknown attention variant \(Excerpt.quoted(name)) (expected gqa:K, linear or noop)")
                }
                attention = a
            case .ffn where ffn == nil:
                guard let f = VariantNames.ffn(name, dimensions: d) else {
                    throw DataError(file: r.file, location: place, "unknown FFN variant \(Excerpt.quoted(name)) (expected ffn:N, linear or noop)")
                }
                ffn = f
            case .block where attention == nil || ffn == nil:
                guard let (a, f) = VariantNames.block(name, dimensions: d) else {
                    throw DataError(file: r.file, location: place, "unknown block variant \(Excerpt.quoted(name)) (expected e.g. gqa:8+ffn:14336)")
                }
                attention = attention ?? a
                ffn = ffn ?? f
            default: break
            }
            let scores = try numbers(try item.optional("scores"), place: "\(place).scores")
            let stats = try numbers(try item.optional("stats"), place: "\(place).stats")
            result.append(Candidate(name: name, attention: attention, ffn: ffn, scores: scores, stats: stats))
        }
        return result
    }

    static func numbers(_ r: JSONReader?, place: String) throws(DataError) -> [String: Double] {
        guard let r else { return [:] }
        var out: [String: Double] = [:]
        for (key, value) in try r.object {
            guard let v = value.doubleValue else {
                throw DataError(file: r.file, location: "\(place).\(key)", "expected a number, found \(value.typeName)")
            }
            guard v.isFinite else { throw DataError(file: r.file, location: "\(place).\(key)", "expected a finite number") }
            out[key] = v
        }
        return out
    }

    /// `"parent": "llama-3.1-70b"` (a built-in) or `{"name": ..., "config": {HF/DeciLM config}}`.
    static func readParent(_ r: JSONReader) throws(DataError) -> Architecture {
        if let name = r.value.stringValue {
            guard let a = BuiltinModels.architecture(name) else {
                throw r.fail("unknown built-in parent \(Excerpt.quoted(name)); expected one of \(BuiltinModels.names.joined(separator: ", ")) or an object with an embedded config")
            }
            return a
        }
        let name = try r.optional("name")?.string
        if let config = try r.optional("config") {
            return try ConfigReader.read(config, name: name)
        }
        if let name, let a = BuiltinModels.architecture(name) { return a }
        throw r.fail("expected a built-in parent name or {\"name\", \"config\"}")
    }

    static func parentJSON(_ parent: Architecture) -> JSONValue {
        if let builtin = BuiltinModels.architecture(parent.name), builtin == parent {
            return .string(builtin.name)
        }
        return ["name": .string(parent.name), "config": ConfigWriter.childConfig(parent)]
    }

    static func json(_ library: BlockLibrary) -> JSONValue {
        var root = JSONObject()
        root["format"] = .string(formatName)
        root["version"] = .number(version)
        root["parent"] = parentJSON(library.parent)
        root["metrics"] = .array(library.metrics.map { ["name": .string($0.name), "direction": .string($0.direction.rawValue)] })
        if let m = library.measurement { root["measurement"] = m.json }
        if !library.metadata.isEmpty { root["metadata"] = .object(library.metadata) }
        let metricOrder = library.metrics.map(\.name)
        var layers: [JSONValue] = []
        layers.reserveCapacity(library.layers.count)
        for layer in library.layers {
            var o = JSONObject()
            o["layer"] = .number(layer.index)
            o["layout"] = .string(layer.layout.name)
            switch layer.layout {
            case .decoupled(let a, let f):
                o["attention"] = .array(a.map { candidateJSON($0, metricOrder) })
                o["ffn"] = .array(f.map { candidateJSON($0, metricOrder) })
            case .joint(let c):
                o["candidates"] = .array(c.map { candidateJSON($0, metricOrder) })
            }
            layers.append(.object(o))
        }
        root["layers"] = .array(layers)
        return .object(root)
    }

    static func candidateJSON(_ c: Candidate, _ metricOrder: [String]) -> JSONValue {
        var o = JSONObject()
        o["variant"] = .string(c.name)
        if let a = c.attention { o["attention"] = .string(a.name) }
        if let f = c.ffn { o["ffn"] = .string(f.name) }
        if !c.scores.isEmpty {
            var s = JSONObject()
            for name in metricOrder { if let v = c.scores[name] { s[name] = .double(v) } }
            for (name, v) in c.scores.sorted(by: { $0.key < $1.key }) where s[name] == nil { s[name] = .double(v) }
            o["scores"] = .object(s)
        }
        if !c.stats.isEmpty {
            var s = JSONObject()
            for (name, v) in c.stats.sorted(by: { $0.key < $1.key }) { s[name] = number(v) }
            o["stats"] = .object(s)
        }
        return .object(o)
    }

    /// Integral stats (parameter counts) stay integers in the file.
    static func number(_ v: Double) -> JSONValue {
        if v == v.rounded(), abs(v) < 9.0e15 { return .int(Int64(v)) }
        return .double(v)
    }
}
