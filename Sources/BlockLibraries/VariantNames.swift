import ModelArchitecture

/// Reading variant names in every spelling the importers meet, into typed variants.
///
/// - Native / Architecture names: `gqa:8`, `kv8`, `8` (attention); `ffn:14336`, `14336` (FFN);
///   `linear`, `noop` (`no-op`, `no_op`) for both; `gqa:8+ffn:14336` for a joint pair.
/// - Model-Optimizer puzzletron names: `num_key_value_heads=4` (also `:`/`_`/space before the
///   number), `intermediate_size=11520`, `no_op`, `replace_with_linear`; DeciLM's
///   `n_heads_in_group=8` (KV heads = query heads / 8) and `ffn_mult=2.625` (DeciLM rounding).
/// - Sliding-window attention: a `/wN` suffix on any GQA spelling (`gqa:8/w128`,
///   `num_key_value_heads=8/w128`); `/full` says full attention explicitly. Without either, an
///   importer keeps the parent layer's type (`Architecture.resolveAttention`).
/// - Mixtures of experts: `moe:6/top2` (also `moe:6/2`), `num_local_experts=6`, `num_experts=6`,
///   `experts=6` (top-k: the parent's, capped at the experts kept).
/// - NVlabs puzzle names: `attention = 8 kv heads (parent * 100%)`, `attention = no_op (parent * 0%)`,
///   `ffn = intermediate size 14336 (...)`, joined by `&&` for a block. The NVlabs file writes
///   sizes rounded (`29e3`); exact sizes come from its stats (see `NVlabsImporter`).
public enum VariantNames {
    /// An attention variant from any supported spelling, or nil.
    public static func attention(_ text: String, dimensions d: ModelDimensions) -> AttentionVariant? {
        var s = normalize(text, dropping: ["attention", "attn"])
        if s.isEmpty { return nil }
        if ["noop", "no-op", "no_op", "none", "skip"].contains(s) { return .noOp }
        if ["linear", "replace_with_linear", "linear_attention"].contains(s) { return .linear }
        if let v = AttentionVariant(name: s) { return v }
        // A window suffix on any other spelling: "/w128" (sliding) or "/full".
        var window: Int?
        if let slash = s.lastIndex(of: "/") {
            let suffix = s[s.index(after: slash)...]
            if suffix == "full" {
                s = String(s[..<slash])
            } else if suffix == "sliding" {
                guard let w = d.slidingWindow else { return nil }
                window = w
                s = String(s[..<slash])
            } else if suffix.hasPrefix("w"), let w = Int(suffix.dropFirst()), w > 0, w <= ModelLimits.slidingWindow {
                window = w
                s = String(s[..<slash])
            } else {
                return nil
            }
        }
        guard let plain = plainAttention(s, dimensions: d) else { return nil }
        return plain.withWindow(window)
    }

    /// Whether a name says sliding or full attention explicitly (`/wN`, `/full`).
    public static func spellsWindow(_ text: String) -> Bool {
        let s = text.lowercased()
        return s.contains("/w") || s.contains("/full") || s.contains("/sliding")
    }

    static func plainAttention(_ s: String, dimensions d: ModelDimensions) -> AttentionVariant? {
        if let v = AttentionVariant(name: s) { return v }
        if let (key, number) = keyValue(s) {
            switch key {
            case "num_key_value_heads", "num_kv_heads", "kv_heads", "n_kv_heads", "kv", "gqa":
                guard let k = Int(number), k > 0, k <= ModelLimits.heads else { return nil }
                return .gqa(kvHeads: k)
            case "n_heads_in_group":
                guard let g = Int(number), g > 0, g <= ModelLimits.heads, d.attentionHeads % g == 0 else { return nil }
                return .gqa(kvHeads: d.attentionHeads / g)
            default: return nil
            }
        }
        // "8 kv heads", "8 kv_heads", "8 kv"
        for suffix in [" kv heads", " kv_heads", " kv-heads", " kv"] where s.hasSuffix(suffix) {
            if let k = Int(s.dropLast(suffix.count).trimmedOf(" ")), k > 0, k <= ModelLimits.heads { return .gqa(kvHeads: k) }
        }
        return nil
    }

    /// An FFN variant from any supported spelling, or nil.
    public static func ffn(_ text: String, dimensions d: ModelDimensions) -> FFNVariant? {
        let s = normalize(text, dropping: ["ffn", "mlp"])
        if s.isEmpty { return nil }
        if ["noop", "no-op", "no_op", "none", "skip"].contains(s) { return .noOp }
        if ["linear", "replace_with_linear", "linear_ffn", "linear_mlp"].contains(s) { return .linear }
        if let v = FFNVariant(name: s) { return v }
        if let (key, number) = keyValue(s) {
            switch key {
            case "intermediate_size", "ffn_intermediate_size", "intermediate size", "size", "swiglu":
                guard let n = Int(number), n > 0, n <= ModelLimits.intermediateSize else { return nil }
                return .swiGLU(intermediateSize: n)
            case "ffn_mult":
                guard let m = Double(number), m > 0, m.isFinite,
                    let n = DeciLMMapping.intermediateSize(ffnMult: m, hiddenSize: d.hiddenSize), n > 0
                else { return nil }
                return .swiGLU(intermediateSize: n)
            case "num_local_experts", "num_experts", "experts", "moe":
                let parts = number.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count <= 2, let e = Int(parts[0]), e > 0, e <= ModelLimits.experts else { return nil }
                var k = min(d.moe?.topK ?? 1, e)
                if parts.count == 2 {
                    var text = parts[1]
                    if text.hasPrefix("top") { text = text.dropFirst(3) }
                    guard let value = Int(text), value > 0, value <= e else { return nil }
                    k = value
                }
                return .moe(experts: e, topK: k)
            default: return nil
            }
        }
        return nil
    }

    /// A joint (attention, FFN) pair: parts joined by `&&`, `+`, `|`, `;` or `,`. A part that
    /// starts with `attention`/`ffn` goes there; otherwise its spelling decides
    /// (`num_key_value_heads`, `kv`, `gqa` are attention; `intermediate_size`, `ffn_mult`, sizes
    /// are FFN), and `linear`/`noop` go by position (attention first).
    public static func block(_ text: String, dimensions d: ModelDimensions) -> (AttentionVariant, FFNVariant)? {
        var parts: [String] = [text]
        for separator in ["&&", "+", "|", ";", ","] {
            parts = parts.flatMap { $0.components(separatedBy: separator) }
        }
        parts = parts.map { $0.trimmedOf(" \t") }.filter { !$0.isEmpty }
        guard parts.count == 2 else { return nil }
        var attention: AttentionVariant?
        var ffn: FFNVariant?
        var ambiguous: [String] = []
        for part in parts {
            let lower = part.lowercased()
            if lower.hasPrefix("attention") || lower.hasPrefix("attn") {
                guard attention == nil, let a = self.attention(part, dimensions: d) else { return nil }
                attention = a
            } else if lower.hasPrefix("ffn") || lower.hasPrefix("mlp") || lower.hasPrefix("intermediate") || lower.hasPrefix("moe")
                || lower.hasPrefix("num_local_experts") || lower.hasPrefix("num_experts") || lower.hasPrefix("experts")
            {
                guard ffn == nil, let f = self.ffn(part, dimensions: d) else { return nil }
                ffn = f
            } else if ["gqa", "kv", "num_key_value_heads", "num_kv_heads", "n_heads_in_group"].contains(where: { lower.hasPrefix($0) })
                || lower.hasSuffix("kv heads")
            {
                guard attention == nil, let a = self.attention(part, dimensions: d) else { return nil }
                attention = a
            } else if lower.hasPrefix("ffn_mult") || Int(lower) != nil {
                guard ffn == nil, let f = self.ffn(part, dimensions: d) else { return nil }
                ffn = f
            } else {
                ambiguous.append(part)
            }
        }
        for part in ambiguous {
            if attention == nil, let a = self.attention(part, dimensions: d) {
                attention = a
            } else if ffn == nil, let f = self.ffn(part, dimensions: d) {
                ffn = f
            } else {
                return nil
            }
        }
        guard let attention, let ffn else { return nil }
        return (attention, ffn)
    }

    /// Lowercases, drops a leading subblock word and `=`/`:`, and a trailing `(parent * 100%)`.
    static func normalize(_ text: String, dropping prefixes: [String]) -> String {
        var s = text.lowercased().trimmedOf(" \t")
        if let paren = s.firstIndex(of: "("), s.hasSuffix(")") {
            s = String(s[..<paren]).trimmedOf(" \t")
        }
        for prefix in prefixes where s.hasPrefix(prefix) {
            let rest = s.dropFirst(prefix.count)
            let trimmed = rest.trimmedOf(" \t")
            if trimmed.hasPrefix("=") || trimmed.hasPrefix(":") {
                s = String(trimmed.dropFirst()).trimmedOf(" \t")
            } else if rest.hasPrefix(" ") || rest.hasPrefix("\t") {
                s = trimmed
            }
            break
        }
        return s
    }

    /// `key=N`, `key: N`, `key_N`, `key N` -> (key, "N").
    static func keyValue(_ s: String) -> (String, String)? {
        for separator in ["=", ":"] {
            if let r = s.range(of: separator) {
                let key = s[..<r.lowerBound].trimmedOf(" \t")
                let value = s[r.upperBound...].trimmedOf(" \t")
                return (key, value)
            }
        }
        // trailing number after '_' or ' '
        guard let last = s.lastIndex(where: { $0 == "_" || $0 == " " }) else { return nil }
        let key = s[..<last].trimmedOf(" \t")
        let value = String(s[s.index(after: last)...])
        guard !key.isEmpty, Double(value) != nil else { return nil }
        return (key, value)
    }
}

extension String {
    func trimmedOf(_ set: String) -> String {
        var start = startIndex
        var end = endIndex
        while start < end, set.contains(self[start]) { start = index(after: start) }
        while end > start, set.contains(self[index(before: end)]) { end = index(before: end) }
        return String(self[start..<end])
    }
}

extension Substring {
    func trimmedOf(_ set: String) -> String { String(self).trimmedOf(set) }
}
