import ModelArchitecture
import PuzzleCore

/// The long format a scoring script appends to, one value per row:
/// `layer,subblock,variant,metric,value` as CSV (header optional, columns may be reordered by
/// the header, `#` comments and blank lines skipped, RFC 4180 quotes) or as JSON lines
/// (`{"layer": 3, "subblock": "ffn", "variant": "ffn:7168", "metric": "kl_div", "value": 0.12}`).
///
/// - `subblock`: `attention` (`attn`), `ffn` (`mlp`) for decoupled candidates, `block` (`joint`)
///   for (attention, FFN) pairs; a layer is one or the other.
/// - `variant`: any spelling `VariantNames` reads (native `gqa:4`, puzzletron
///   `num_key_value_heads=4`, `intermediate_size=7168`, `no_op`, ...); kept verbatim as the name.
/// - `metric`: a score, unless it is a stat: written `stat:NAME`, or named like one
///   (`*_ms`, `*_s`, `*_mib`, `*_gib`, `*_bytes`, `num_*`, `*params*`).
/// Errors name the line. Needs the parent from outside (`--parent`).
enum LongFormatImporter {
    struct Row {
        var line: Int
        var layer: String
        var subblock: String
        var variant: String
        var metric: String
        var value: String
        var number: Double?
    }

    static let columns = ["layer", "subblock", "variant", "metric", "value"]

    static func parseCSV(_ bytes: [UInt8], file: String) throws(DataError) -> [Row] {
        var rows: [Row] = []
        var order = Array(0..<5)
        var lineNumber = 0
        var sawData = false
        // LF, CRLF (Python's csv default) and CR line ends; a UTF-8 byte-order mark is skipped.
        for line in TextLines.split(bytes) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            let fields = try splitCSV(line, file: file, line: lineNumber)
            if !sawData, fields.contains(where: { $0.lowercased().trimmedOf(" \t") == "layer" }) {
                // Header: map columns by name.
                let names = fields.map { $0.lowercased().trimmedOf(" \t") }
                guard names.count == 5, Set(names) == Set(columns) else {
                    throw DataError(file: file, location: "line \(lineNumber)",
                        "header must name the 5 columns layer,subblock,variant,metric,value, found \(Excerpt.quoted(names.joined(separator: ","), limit: 80))")
                }
                order = columns.compactMap { names.firstIndex(of: $0) }
                sawData = true
                continue
            }
            sawData = true
            guard fields.count == 5 else {
                throw DataError(file: file, location: "line \(lineNumber)",
                    "expected 5 columns (layer,subblock,variant,metric,value), found \(fields.count)")
            }
            let f = order.map { fields[$0].trimmedOf(" \t") }
            rows.append(Row(line: lineNumber, layer: f[0], subblock: f[1], variant: f[2], metric: f[3], value: f[4], number: nil))
        }
        return rows
    }

    /// One CSV record (no embedded newlines): fields split on commas outside double quotes.
    static func splitCSV(_ line: Substring, file: String, line number: Int) throws(DataError) -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while true {
            let next: Character?
            if let p = pending { next = p; pending = nil } else { next = iterator.next() }
            guard let c = next else { break }
            if inQuotes {
                if c == "\"" {
                    if let after = iterator.next() {
                        if after == "\"" { current.append("\"") } else { inQuotes = false; pending = after }
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "," {
                fields.append(current)
                current = ""
            } else if c == "\"" && current.isEmpty {
                inQuotes = true
            } else {
                current.append(c)
            }
        }
        guard !inQuotes else { throw DataError(file: file, location: "line \(number)", "unterminated quoted field") }
        fields.append(current)
        return fields
    }

    static func parseJSONLines(_ bytes: [UInt8], file: String) throws(DataError) -> [Row] {
        var rows: [Row] = []
        var lineNumber = 0
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            let slice = Array(bytes[start..<end])
            start = end + 1
            if slice.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { if end >= bytes.count { break } else { continue } }
            let value: JSONValue
            do {
                value = try JSONParser.parse(slice)
            } catch {
                throw DataError(file: file, location: "line \(lineNumber)", "invalid JSON: \(error.message) (column \(error.column))" + LibraryJSON.fieldNote(line: 1, column: error.column, in: slice))
            }
            guard let o = value.objectValue else {
                throw DataError(file: file, location: "line \(lineNumber)", "expected an object with layer, subblock, variant, metric, value")
            }
            var f: [String] = []
            var number: Double?
            for key in columns {
                guard let v = o[key], !v.isNull else {
                    throw DataError(file: file, location: "line \(lineNumber)", "missing field \(Excerpt.quoted(key))")
                }
                switch v {
                case .string(let s): f.append(s)
                case .int(let i): f.append(String(i))
                case .double(let d): f.append(JSONWriter.number(d))
                default:
                    throw DataError(file: file, location: "line \(lineNumber): \(key)", "expected a string or number, found \(v.typeName)")
                }
                if key == "value" { number = v.doubleValue }
            }
            rows.append(Row(line: lineNumber, layer: f[0], subblock: f[1], variant: f[2], metric: f[3], value: f[4], number: number))
            if end >= bytes.count { break }
        }
        return rows
    }

    /// Whether a metric-column name is a stat rather than a score.
    static func isStat(_ name: String) -> Bool {
        let n = name.lowercased()
        if n.hasPrefix("stat:") || n.hasPrefix("stats.") { return true }
        for suffix in ["_ms", "_s", "_mib", "_gib", "_mb", "_gb", "_bytes"] where n.hasSuffix(suffix) { return true }
        return n.hasPrefix("num_") || n.contains("params")
    }

    static func statName(_ name: String) -> String {
        if name.lowercased().hasPrefix("stat:") { return String(name.dropFirst(5)) }
        if name.lowercased().hasPrefix("stats.") { return String(name.dropFirst(6)) }
        return name
    }

    /// Groups rows into candidates (first appearance order), checking each row as it goes.
    /// - Complexity: O(rows) expected (hash lookups per row).
    static func build(_ rows: [Row], file: String, options: ImportOptions, sourceName: String) throws -> BlockLibrary {
        guard let parent = options.parent else {
            throw LibraryImportError.parentRequired(file: file, format: sourceName)
        }
        let d = parent.dimensions
        let layerCount = parent.layers.count
        enum Group: String { case attention, ffn, block }
        struct Slot { var candidate: Candidate; var lines: [String: Int] }
        var layers: [Int: [Group: [Slot]]] = [:]
        var slotIndex: [String: Int] = [:]  // "layer|group|variantKey" -> index in its group
        var names: [String: String] = [:]   // same key -> name used first
        var metrics: [Metric] = []
        var metricSet = Set<String>()
        // Parsed variant names by "group|name": a scoring CSV repeats each name many times.
        var variantCache: [String: (AttentionVariant?, FFNVariant?)] = [:]
        for row in rows {
            let at = "line \(row.line)"
            guard let layer = Int(row.layer), layer >= 0 else {
                throw DataError(file: file, location: "\(at): layer", "expected a layer index 0, 1, ..., found \(Excerpt.quoted(row.layer))")
            }
            guard layer < layerCount else {
                throw DataError(file: file, location: "\(at): layer",
                    "layer \(layer) is beyond the parent \(parent.name), which has \(layerCount) layers (0-\(layerCount - 1))")
            }
            let group: Group
            switch row.subblock.lowercased() {
            case "attention", "attn", "self_attn": group = .attention
            case "ffn", "mlp": group = .ffn
            case "block", "joint", "layer": group = .block
            default:
                throw DataError(file: file, location: "\(at): subblock", "expected attention, ffn or block, found \(Excerpt.quoted(row.subblock))")
            }
            var candidate = Candidate(name: row.variant, attention: nil, ffn: nil)
            let cacheKey = group.rawValue + "|" + row.variant
            if let cached = variantCache[cacheKey] {
                candidate.attention = cached.0
                candidate.ffn = cached.1
            } else {
            switch group {
            case .attention:
                guard let a = VariantNames.attention(row.variant, dimensions: d) else {
                    throw DataError(file: file, location: "\(at): variant", "unknown attention variant \(Excerpt.quoted(row.variant)) (expected gqa:K, num_key_value_heads=K, linear or noop)")
                }
                candidate.attention = a
            case .ffn:
                guard let f = VariantNames.ffn(row.variant, dimensions: d) else {
                    throw DataError(file: file, location: "\(at): variant", "unknown FFN variant \(Excerpt.quoted(row.variant)) (expected ffn:N, intermediate_size=N, linear or noop)")
                }
                candidate.ffn = f
            case .block:
                guard let (a, f) = VariantNames.block(row.variant, dimensions: d) else {
                    throw DataError(file: file, location: "\(at): variant", "unknown block variant \(Excerpt.quoted(row.variant)) (expected e.g. gqa:8+ffn:14336)")
                }
                candidate.attention = a
                candidate.ffn = f
            }
            if let a = candidate.attention, let problem = parent.problem(with: a) {
                throw DataError(file: file, location: "\(at): variant", problem)
            }
            if let f = candidate.ffn, let problem = parent.problem(with: f) {
                throw DataError(file: file, location: "\(at): variant", problem)
            }
            variantCache[cacheKey] = (candidate.attention, candidate.ffn)
            }
            // A name without a window keeps the parent layer's attention type (Mistral-7B-v0.1 and
            // gpt-oss sliding layers).
            if let a = candidate.attention {
                candidate.attention = parent.resolveAttention(a, layer: layer, windowSpelled: VariantNames.spellsWindow(row.variant))
            }
            let value: Double
            if let n = row.number {
                value = n
            } else {
                guard let n = Double(row.value) else {
                    throw DataError(file: file, location: "\(at): value", "expected a number, found \(Excerpt.quoted(row.value))")
                }
                value = n
            }
            guard value.isFinite else {
                throw DataError(file: file, location: "\(at): value", "expected a finite number, found \(Excerpt.quoted(row.value))")
            }
            guard !row.metric.isEmpty else { throw DataError(file: file, location: "\(at): metric", "empty metric name") }
            let stat = isStat(row.metric)
            let key = stat ? statName(row.metric) : row.metric
            if !stat && !metricSet.contains(key) {
                guard let direction = options.directions[key] ?? Metric.conventionalDirection(of: key) else {
                    throw LibraryImportError.unknownMetricDirection(file: file, location: "\(at): metric", metric: key)
                }
                metrics.append(Metric(key, direction: direction))
                metricSet.insert(key)
            }
            // Decoupled and joint rows may not share a layer.
            var groups = layers[layer] ?? [:]
            if group == .block, groups[.attention] != nil || groups[.ffn] != nil {
                throw DataError(file: file, location: "\(at): subblock", "layer \(layer) already has decoupled attention/ffn rows; a layer is decoupled or joint")
            }
            if group != .block, groups[.block] != nil {
                throw DataError(file: file, location: "\(at): subblock", "layer \(layer) already has joint block rows; a layer is decoupled or joint")
            }
            let slotKey = "\(layer)|\(group.rawValue)|\(candidate.variantKey)"
            var slots = groups[group] ?? []
            if let k = slotIndex[slotKey] {
                if let first = names[slotKey], first != row.variant {
                    throw DataError(file: file, location: "\(at): variant",
                        "duplicate candidate: \(Excerpt.quoted(row.variant)) is the same variant as \(Excerpt.quoted(first)) in layer \(layer) \(group.rawValue)")
                }
                let fieldKey = (stat ? "stat:" : "") + key
                if let firstLine = slots[k].lines[fieldKey] {
                    throw DataError(file: file, location: "\(at)",
                        "duplicate value: layer \(layer) \(group.rawValue) \(row.variant) \(key) was already given on line \(firstLine)")
                }
                slots[k].lines[fieldKey] = row.line
                if stat { slots[k].candidate.stats[key] = value } else { slots[k].candidate.scores[key] = value }
            } else {
                if stat { candidate.stats[key] = value } else { candidate.scores[key] = value }
                slotIndex[slotKey] = slots.count
                names[slotKey] = row.variant
                slots.append(Slot(candidate: candidate, lines: [(stat ? "stat:" : "") + key: row.line]))
            }
            groups[group] = slots
            layers[layer] = groups
        }
        var result: [LayerCandidates] = []
        for index in layers.keys.sorted() {
            guard let groups = layers[index] else { continue }
            if let block = groups[.block] {
                result.append(LayerCandidates(index: index, layout: .joint(block.map(\.candidate))))
            } else {
                let a = (groups[.attention] ?? []).map(\.candidate)
                let f = (groups[.ffn] ?? []).map(\.candidate)
                result.append(LayerCandidates(index: index, layout: .decoupled(attention: a, ffn: f)))
            }
        }
        var metadata = JSONObject()
        metadata["source"] = .string("\(sourceName) long format")
        metadata["imported_from"] = .string(file)
        return BlockLibrary(parent: parent, metrics: metrics, layers: result, measurement: options.measurement, metadata: metadata)
    }
}
