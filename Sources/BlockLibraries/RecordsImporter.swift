import ModelArchitecture
import PuzzleCore

/// Hand-written records that spell subblocks in Model-Optimizer puzzletron's block-config schema
/// (`BlockConfig` in `modelopt/torch/puzzletron/block_config.py`), as a JSON array or JSON lines,
/// one scored candidate per record. Puzzletron itself does not write this format (its run
/// directory is read by `PuzzletronRun`); it is a convenient way for other scoring scripts to hand
/// over scores in puzzletron's vocabulary:
/// `{"layer": 3, "attention": {"num_key_value_heads": 4}, "ffn": {"intermediate_size": 11520},
///   "scores": {"kl_div": 0.1}, "stats": {"runtime_ms": 1.2}}`.
///
/// `layer` may also be `block_idx`; `scores` may also be `metrics`. A subblock is
/// `{"num_key_value_heads": K}`, `{"intermediate_size": N}`, `{"no_op": true}`,
/// `{"replace_with_linear": true}`, `{"moe": {"num_local_experts": E, "num_experts_per_tok": k}}`
/// (DeciLM's `n_heads_in_group` and `ffn_mult` are read too); an attention record may say
/// `"sliding_window": W` or `"layer_type": "sliding_attention" | "full_attention"` (gpt-oss). A
/// record with only `attention` or only `ffn` is a decoupled candidate; with both, a joint one.
/// An optional `variant` names it; otherwise its puzzletron spelling is the name
/// (`num_key_value_heads=4`, `intermediate_size=11520`, `no_op`, joined by `+` for pairs).
enum RecordsImporter {
    static func read(_ bytes: [UInt8], file: String, options: ImportOptions) throws -> BlockLibrary {
        guard options.parent != nil else {
            throw LibraryImportError.parentRequired(file: file, format: "records")
        }
        // A JSON array, or JSON lines.
        var records: [(location: String, reader: JSONReader)] = []
        if let first = bytes.first(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }), first == UInt8(ascii: "[") {
            let root = try LibraryJSON.parse(bytes, file: file)
            for r in try root.array { records.append((r.path, r)) }
        } else {
            var line = 0
            for slice in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                line += 1
                if slice.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                do {
                    records.append(("line \(line)", JSONReader(file: file, path: "line \(line)", value: try JSONParser.parse(Array(slice)))))
                } catch {
                    throw DataError(file: file, location: "line \(line)", "invalid JSON: \(error.message) (column \(error.column))" + LibraryJSON.fieldNote(line: 1, column: error.column, in: Array(slice)))
                }
            }
        }
        var rows: [LongFormatImporter.Row] = []
        var line = 0
        // Re-expressed as long-format rows so that all checks (layer range, duplicates, KV heads
        // dividing the query heads, finite values) are shared; row numbers map back to records.
        var locations: [Int: String] = [:]
        for (location, r) in records {
            let layer = try layerIndex(r)
            guard let layer else { throw DataError(file: file, location: location, "missing field 'layer' (or 'block_idx')") }
            let a = try r.optional("attention").map { x throws(DataError) in try subblockName(x, attention: true) }
            let f = try r.optional("ffn").map { x throws(DataError) in try subblockName(x, attention: false) }
            let subblock: String
            let spelled: String
            switch (a, f) {
            case let (a?, f?): subblock = "block"; spelled = "attention=\(a)+ffn=\(f)"
            case let (a?, nil): subblock = "attention"; spelled = a
            case let (nil, f?): subblock = "ffn"; spelled = f
            default: throw DataError(file: file, location: location, "a record needs 'attention', 'ffn' or both")
            }
            var scores = try r.optional("scores")
            if scores == nil { scores = try r.optional("metrics") }
            let stats = try r.optional("stats")
            for (group, prefix) in [(scores, ""), (stats, "stat:")] {
                guard let group else { continue }
                for (key, value) in try group.object {
                    guard let v = value.doubleValue else {
                        throw DataError(file: file, location: "\(location).\(group.path.split(separator: ".").last ?? "").\(key)", "expected a number, found \(value.typeName)")
                    }
                    line += 1
                    locations[line] = location
                    rows.append(LongFormatImporter.Row(line: line, layer: String(layer), subblock: subblock, variant: spelled,
                        metric: prefix + key, value: JSONWriter.number(v), number: v))
                }
            }
        }
        do {
            var library = try LongFormatImporter.build(rows, file: file, options: options, sourceName: "records")
            library.metadata["source"] = .string("records in puzzletron block-config spelling")
            // Prefer the records' own `variant` names where given.
            var named: [String: String] = [:]
            for (_, r) in records {
                guard let v = try r.optional("variant")?.string, let layer = try layerIndex(r) else { continue }
                let a = try r.optional("attention").map { x throws(DataError) in try subblockName(x, attention: true) }
                let f = try r.optional("ffn").map { x throws(DataError) in try subblockName(x, attention: false) }
                let spelled = [a.map { a in f == nil ? a : "attention=\(a)" }, f.map { f in a == nil ? f : "ffn=\(f)" }].compactMap { $0 }.joined(separator: "+")
                named["\(layer)|\(spelled)"] = v
            }
            if !named.isEmpty {
                for k in library.layers.indices {
                    let index = library.layers[k].index
                    func rename(_ c: [Candidate]) -> [Candidate] {
                        c.map { var x = $0; x.name = named["\(index)|\($0.name)"] ?? $0.name; return x }
                    }
                    switch library.layers[k].layout {
                    case .decoupled(let a, let f): library.layers[k].layout = .decoupled(attention: rename(a), ffn: rename(f))
                    case .joint(let c): library.layers[k].layout = .joint(rename(c))
                    }
                }
            }
            return library
        } catch var e as DataError {
            // Map synthetic row numbers back to the record.
            if e.location.hasPrefix("line "), let n = Int(e.location.dropFirst(5).prefix { $0.isNumber }), let loc = locations[n] {
                let rest = e.location.drop { $0 != ":" }
                e.location = loc + rest
            }
            throw e
        }
    }

    static func layerIndex(_ r: JSONReader) throws(DataError) -> Int? {
        if let l = try r.optional("layer") { return try l.int }
        return try r.optional("block_idx")?.int
    }

    /// `{"num_key_value_heads": 4}` -> `num_key_value_heads=4`; `{"no_op": true}` -> `no_op`.
    static func subblockName(_ r: JSONReader, attention: Bool) throws(DataError) -> String {
        if try r.optional("no_op")?.bool == true { return "no_op" }
        if try r.optional("replace_with_linear")?.bool == true { return "replace_with_linear" }
        if attention {
            // Sliding vs full attention (gpt-oss layer types): `sliding_window: W` or
            // `layer_type: "sliding_attention" | "full_attention"`; neither keeps the parent layer's.
            var suffix = ""
            if let w = try r.optional("sliding_window")?.positiveInt { suffix = "/w\(w)" }
            var typeReader = try r.optional("layer_type")
            if typeReader == nil { typeReader = try r.optional("attention_type") }
            if let type = try typeReader?.string {
                switch type {
                case "full_attention": suffix = "/full"
                case "sliding_attention": if suffix.isEmpty { suffix = "/sliding" }
                default: throw r.fail("layer type \"\(type)\": expected sliding_attention or full_attention")
                }
            }
            if let k = try r.optional("num_key_value_heads")?.positiveInt { return "num_key_value_heads=\(k)" + suffix }
            if let g = try r.optional("n_heads_in_group")?.positiveInt { return "n_heads_in_group=\(g)" + suffix }
            throw r.fail("expected num_key_value_heads, n_heads_in_group, no_op or replace_with_linear")
        }
        if let moe = try r.optional("moe") {
            let e = try moe.required("num_local_experts").positiveInt
            if let k = try moe.optional("num_experts_per_tok")?.positiveInt { return "moe:\(e)/top\(k)" }
            return "num_local_experts=\(e)"
        }
        if let n = try r.optional("intermediate_size")?.positiveInt { return "intermediate_size=\(n)" }
        if let m = try r.optional("ffn_mult")?.double { return "ffn_mult=\(JSONWriter.number(m))" }
        throw r.fail("expected intermediate_size, ffn_mult, no_op or replace_with_linear")
    }
}
