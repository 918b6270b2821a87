import ModelArchitecture
import PuzzleCore

/// Default names of searched children: the parent, the budgets (or the objective), and the GPU,
/// e.g. `llama-3.1-70b-2.2x-h100-sxm` or `llama-3.1-70b-tpot40ms-5000tps-h100-sxm`, so that two
/// children of one parent are told apart in `compare` and in their exported configs.
enum ChildName {
    static func make(_ request: SearchRequest) -> String {
        var parts = [request.library.parent.name]
        let tags = request.constraints.map(tag)
        parts += tags.isEmpty ? ["best-\(request.objective.name)"] : tags
        if let gpu = request.model?.gpu.name { parts.append(gpu) }
        return parts.joined(separator: "-")
    }

    /// A short token for one budget: `2.2x`, `5000tps`, `tpot40ms`, `ttft2s`, `latency8s`, `mem80GiB`, `52Bparams`,
    /// `max-runtime_ms51200`.
    static func tag(_ c: Constraint) -> String {
        func short(_ v: Double) -> String {
            let text = JSONWriter.number(v)
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        func duration(_ seconds: Double) -> String {
            seconds >= 1 ? short(seconds) + "s" : seconds >= 1e-3 ? short((seconds * 1e6).rounded() / 1e3) + "ms"
                : short((seconds * 1e9).rounded() / 1e3) + "us"
        }
        switch c {
        case .speedup(let x): return short(x) + "x"
        case .minThroughputPerGPU(let t): return short(t) + "tps"
        case .maxTPOTSeconds(let s): return "tpot" + duration(s)
        case .maxTTFTSeconds(let s): return "ttft" + duration(s)
        case .maxLatencySeconds(let s): return "latency" + duration(s)
        case .maxMemoryBytes(let b):
            let gib = b / 1_073_741_824
            return "mem" + (gib >= 1 ? short((gib * 100).rounded() / 100) + "GiB" : short(b) + "B")
        case .maxParameters(let n): return short((n / 1e7).rounded() / 100) + "Bparams"
        case .maxActiveParameters(let n): return short((n / 1e7).rounded() / 100) + "Bactive"
        case .maxStat(let s, let v): return "max-\(s)\(short(v))"
        case .minStat(let s, let v): return "min-\(s)\(short(v))"
        }
    }
}
