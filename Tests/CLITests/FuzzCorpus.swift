import Foundation
import PuzzleCore
import TestSupport

/// A generated corpus of malformed inputs for every command: structural mutations of valid files
/// (each scalar replaced by wrong types, extreme and non-finite numbers; keys removed; truncations),
/// whole-file oddities (empty, binary, deep nesting, directories, missing files, BOM and CRLF
/// variants), and extreme option values. Deterministic: the same cases on every run.
struct FuzzCase: Sendable {
    var name: String
    var arguments: [String]
    /// Bytes for standard input (nil: none).
    var stdin: [UInt8]?
    /// A file the command is asked to write with -o (or similar); it holds a sentinel before the
    /// run and must still hold it after a failed run.
    var output: String?
}

enum FuzzCorpus {
    static let sentinel = "sentinel: this file must survive a failed run\n"

    /// Replacement values for a JSON scalar, written as raw JSON text (some are not JSON at all:
    /// the parser must refuse them with a line and column).
    static let badValues: [String] = [
        "\"x\"", "null", "true", "0", "-1", "1000000000", "9223372036854775807", "18446744073709551616", "1e308", "-1e308",
        "1e999", "1.5", "[]", "{}", "NaN", "-Infinity", "1e-400", "\"\(String(repeating: "z", count: 5000))\"",
    ]

    /// Builds the corpus; `files` is the scratch directory holding the valid base files
    /// (`tiny.json`, `lib.json`, `manifest.json`, `gpu.json`, `calibration.csv`, `problem.json`, `lib.csv`).
    static func cases(files dir: URL) throws -> [FuzzCase] {
        var out: [FuzzCase] = []
        var counter = 0
        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            counter += 1
            let path = dir.appendingPathComponent("case\(counter)-\(name)").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        func outputPath(_ ext: String = "json") throws -> String {
            counter += 1
            let path = dir.appendingPathComponent("out\(counter).\(ext)").path
            try sentinel.write(toFile: path, atomically: false, encoding: .utf8)
            return path
        }
        func base(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: dir.appendingPathComponent(name))) }
        let tiny = dir.appendingPathComponent("tiny.json").path
        let lib = dir.appendingPathComponent("lib.json").path

        // Runs for each kind of input file: what a mutated file is fed to (cycled through).
        let configRuns: [(String) throws -> FuzzCase] = [
            { FuzzCase(name: "inspect", arguments: ["inspect", $0]) },
            { FuzzCase(name: "inspect json", arguments: ["inspect", $0, "--format", "json"]) },
            { FuzzCase(name: "cost", arguments: ["cost", $0, "--tp", "1", "--scenario", "128/128"]) },
            { let o = try outputPath(); return FuzzCase(name: "cost -o", arguments: ["cost", $0, "-o", o], output: o) },
            { let o = try outputPath(); return FuzzCase(name: "init", arguments: ["library", "init", "--parent", $0, "-o", o], output: o) },
            { FuzzCase(name: "compare", arguments: ["compare", tiny, $0, "--tp", "1"]) },
            { FuzzCase(name: "plot", arguments: ["plot", "runtime", $0, "--parent", tiny, "--tp", "1"]) },
            { FuzzCase(name: "inspect stdin", arguments: ["inspect", "-"], stdin: try base_(dir, $0)) },
            { let o = try outputPath("svg")
                return FuzzCase(name: "plot serving", arguments: ["plot", "serving", $0, tiny, "--tp", "1", "--svg", o], output: o) },
        ]
        let libraryRuns: [(String) throws -> FuzzCase] = [
            { FuzzCase(name: "validate", arguments: ["library", "validate", $0]) },
            { FuzzCase(name: "show", arguments: ["library", "show", $0, "--format", "json"]) },
            { let o = try outputPath(); return FuzzCase(name: "import", arguments: ["library", "import", $0, "-o", o], output: o) },
            { let o = try outputPath()
                return FuzzCase(name: "search", arguments: ["search", "--library", $0, "--speedup", "1.1", "--quiet", "-o", o], output: o) },
            { FuzzCase(name: "search measured", arguments: ["search", "--library", $0, "--costs", "measured", "--max-params", "1M"]) },
            { let o = try outputPath("svg")
                return FuzzCase(name: "frontier", arguments: ["frontier", "--library", $0, "--sweep", "speedup=1:1.3:3", "--svg", o], output: o) },
            { let o = try outputPath(); return FuzzCase(name: "merge", arguments: ["library", "merge", $0, lib, "-o", o], output: o) },
        ]
        let manifestRuns: [(String) throws -> FuzzCase] = [
            { FuzzCase(name: "cost manifest", arguments: ["cost", $0]) },
            { FuzzCase(name: "inspect manifest", arguments: ["inspect", $0]) },
            { FuzzCase(name: "compare manifest", arguments: ["compare", $0, tiny]) },
            { let o = try outputPath("svg"); return FuzzCase(name: "plot manifest", arguments: ["plot", "runtime", $0, "--svg", o], output: o) },
            { FuzzCase(name: "cost manifest #1", arguments: ["cost", $0 + "#1", "--format", "json"]) },
            { FuzzCase(name: "plot serving manifest", arguments: ["plot", "serving", $0, "--format", "csv"]) },
        ]
        let gpuRuns: [(String) throws -> FuzzCase] = [
            { FuzzCase(name: "cost gpu-file", arguments: ["cost", tiny, "--gpu-file", $0]) },
            { FuzzCase(name: "cost gpu-file 8b", arguments: ["cost", "llama-3.1-8b", "--gpu-file", $0, "--tp", "auto"]) },
            { FuzzCase(name: "search gpu-file", arguments: ["search", "--library", lib, "--gpu-file", $0, "--speedup", "1.1", "--quiet"]) },
        ]
        let problemRuns: [(String) throws -> FuzzCase] = [
            { FuzzCase(name: "solve", arguments: ["solve", $0]) },
            { FuzzCase(name: "solve table", arguments: ["solve", $0, "--format", "table", "--time-limit", "5"]) },
            { let o = try outputPath(); return FuzzCase(name: "solve -o", arguments: ["solve", $0, "-o", o], output: o) },
        ]
        let csvRuns: [(String) throws -> FuzzCase] = [
            { let o = try outputPath()
                return FuzzCase(name: "import csv", arguments: ["library", "import", $0, "--from", "csv", "--parent", tiny, "-o", o], output: o) },
            { FuzzCase(name: "validate csv", arguments: ["library", "validate", $0, "--parent", tiny]) },
        ]
        let calibrationRuns: [(String) throws -> FuzzCase] = [
            { FuzzCase(name: "calibration", arguments: ["cost", "--calibration", $0]) },
            { FuzzCase(name: "calibration json", arguments: ["cost", "--calibration", $0, "--format", "json"]) },
        ]

        // Structural mutations of the JSON bases.
        let moeLibrary = dir.appendingPathComponent("lib-moe.json").path
        let moeLibraryRuns: [(String) throws -> FuzzCase] = [
            { FuzzCase(name: "validate moe", arguments: ["library", "validate", $0]) },
            { let o = try outputPath()
                return FuzzCase(name: "search moe", arguments: ["search", "--library", $0, "--speedup", "1.1", "--quiet", "--export", o], output: o) },
            { FuzzCase(name: "search moe active", arguments: ["search", "--library", $0, "--max-active-params", "5M", "--quiet"]) },
        ]
        let jsonBases: [(String, Int, [(String) throws -> FuzzCase])] = [
            ("tiny.json", 240, configRuns), ("tiny-moe.json", 160, configRuns), ("tiny-gptoss.json", 160, configRuns),
            ("lib.json", 240, libraryRuns), ("lib-moe.json", 120, moeLibraryRuns), ("manifest.json", 180, manifestRuns),
            ("gpu.json", 140, gpuRuns), ("problem.json", 140, problemRuns),
        ]
        _ = moeLibrary
        for (name, budget, runs) in jsonBases {
            let bytes = try base(name)
            let variants = mutations(of: bytes, budget: budget)
            for (k, (label, mutated)) in variants.enumerated() {
                var c = try runs[k % runs.count](try file(name, mutated))
                c.name = "\(name) \(label): \(c.name)"
                out.append(c)
            }
        }
        // Puzzletron run directories: one file of a copy of the fixture run mutated per case.
        let run = SharedData.repository.appendingPathComponent("Tests/Fixtures/puzzletron/run")
        let runFiles = ["replacement_library.json", "subblock_stats.json", "ckpts/teacher/config.json",
            "single_sequence_replacement_solutions--validation/solution_3.json",
            "single_sequence_replacement_solutions--validation/teacher.json"]
        let runRuns: [(String) throws -> FuzzCase] = [
            { let o = try outputPath(); return FuzzCase(name: "import run", arguments: ["library", "import", $0, "-o", o], output: o) },
            { let o = try outputPath()
                return FuzzCase(name: "search run", arguments: ["search", "--library", $0, "--costs", "measured", "--max-memory", "600MiB",
                    "--min-throughput", "1000", "--quiet", "--export-puzzletron", o], output: o) },
            { FuzzCase(name: "show run", arguments: ["library", "show", $0, "--format", "json"]) },
        ]
        // The mixture-of-experts run (gpt-oss block configs with `moe`), fewer cases per file.
        let moeRun = SharedData.repository.appendingPathComponent("Tests/Fixtures/puzzletron/run-moe")
        let moeFiles = ["replacement_library.json", "subblock_stats.json", "ckpts/teacher/config.json"]
        var runCase = 0
        for (run, relative, budget) in runFiles.map({ (run, $0, 36) }) + moeFiles.map({ (moeRun, $0, 16) }) {
            let original = Array(try Data(contentsOf: run.appendingPathComponent(relative)))
            for (label, mutated) in mutations(of: original, budget: budget) {
                counter += 1
                let copy = dir.appendingPathComponent("run\(counter)")
                try FileManager.default.copyItem(at: run, to: copy)
                try Data(mutated).write(to: copy.appendingPathComponent(relative))
                var c = try runRuns[runCase % runRuns.count](copy.path)
                runCase += 1
                c.name = "\(run.lastPathComponent) \(relative) \(label): \(c.name)"
                out.append(c)
            }
        }

        // Line-format bases: each line and cell mutated.
        for (name, budget, runs) in [("lib.csv", 120, csvRuns), ("calibration.csv", 80, calibrationRuns)] {
            let bytes = try base(name)
            for (k, (label, mutated)) in lineMutations(of: bytes, budget: budget).enumerated() {
                var c = try runs[k % runs.count](try file(name, mutated))
                c.name = "\(name) \(label): \(c.name)"
                out.append(c)
            }
        }

        // Whole-file oddities, fed to every kind of run.
        var deep = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        deep += [UInt8](repeating: UInt8(ascii: "]"), count: 100_000)
        let oddities: [(String, [UInt8]?)] = [
            ("empty", []), ("whitespace", Array("  \n\t\n".utf8)), ("null", Array("null".utf8)), ("{}", Array("{}".utf8)),
            ("[]", Array("[]".utf8)), ("number", Array("42".utf8)), ("binary", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }),
            ("nul bytes", [UInt8](repeating: 0, count: 64)), ("deep nesting", deep),
            ("deep objects", Array(String(repeating: "{\"a\":", count: 3000).utf8) + Array("1".utf8) + Array(String(repeating: "}", count: 3000).utf8)),
            ("invalid utf8", [0xFF, 0xFE, 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]),
            ("duplicate keys", Array("{\"hidden_size\": 64, \"hidden_size\": 128}".utf8)),
            ("directory", nil), ("missing", nil),
        ]
        let allRuns = configRuns + libraryRuns + manifestRuns + gpuRuns + problemRuns + csvRuns + calibrationRuns
        for (o, (label, bytes)) in oddities.enumerated() {
            // Half the runs per oddity, alternating, so that every run meets every other oddity.
            for (r, run) in allRuns.enumerated() where (r + o) % 2 == 0 {
                let path: String
                if label == "directory" {
                    path = dir.path
                } else if label == "missing" {
                    path = dir.appendingPathComponent("does-not-exist.json").path
                } else {
                    path = try file("odd", bytes ?? [])
                }
                var c = try run(path)
                c.name = "\(label): \(c.name)"
                out.append(c)
            }
        }
        // BOM and CRLF variants of valid bases must still work (checked by exit status 0 in the test).
        out += try optionCases(tiny: tiny, lib: lib, outputPath: { try outputPath() })
        return out
    }

    /// The bytes of the file at `path` (for stdin runs).
    static func base_(_ dir: URL, _ path: String) throws -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return Array(data)
    }

    /// Mutations of a JSON document: truncations, then each sampled scalar replaced by each bad
    /// value, then sampled keys removed; at most `budget`.
    static func mutations(of bytes: [UInt8], budget: Int) -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        for k in 1...8 { out.append(("truncated at \(k)/9", Array(bytes.prefix(bytes.count * k / 9)))) }
        guard let root = try? JSONParser.parse(bytes) else { return out }
        var leaves: [[PathStep]] = []
        var objectPaths: [([PathStep], String)] = []
        collect(root, path: [], leaves: &leaves, keys: &objectPaths)
        let replacementsBudget = budget * 3 / 4
        let perLeaf = badValues.count
        let leafCount = max(1, replacementsBudget / perLeaf)
        let stride = max(1, leaves.count / leafCount)
        var k = 0
        for (i, path) in leaves.enumerated() where i % stride == 0 {
            for bad in badValues {
                let replaced = replacing(root, at: path, with: .string("__FUZZ__"))
                let text = JSONWriter.string(replaced).replacingOccurrences(of: "\"__FUZZ__\"", with: bad)
                out.append(("\(describe(path)) = \(bad.prefix(24))", Array(text.utf8)))
                k += 1
            }
        }
        let keyBudget = max(1, budget - out.count)
        let keyStride = max(1, objectPaths.count / keyBudget)
        for (i, (path, key)) in objectPaths.enumerated() where i % keyStride == 0 {
            out.append(("without \(describe(path)).\(key)", Array(JSONWriter.string(removing(root, at: path, key: key)).utf8)))
        }
        return Array(out.prefix(budget))
    }

    /// Mutations of a line-based file: each sampled cell replaced by bad text, lines dropped,
    /// duplicated, CRLF and BOM variants.
    static func lineMutations(of bytes: [UInt8], budget: Int) -> [(String, [UInt8])] {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [(String, [UInt8])] = [
            ("CRLF", Array(lines.joined(separator: "\r\n").utf8)),
            ("BOM", [0xEF, 0xBB, 0xBF] + bytes),
            ("BOM CRLF", [0xEF, 0xBB, 0xBF] + Array(lines.joined(separator: "\r\n").utf8)),
            ("header only", Array((lines.first ?? "").utf8)),
        ]
        let cellBad = ["", "x", "-1", "0", "1e999", "nan", "inf", "99999999999999999999", "1e308", "\"unterminated", "a,b", String(repeating: "q", count: 3000)]
        for (i, line) in lines.enumerated() where !line.isEmpty {
            out.append(("line \(i + 1) dropped", Array(lines.enumerated().filter { $0.offset != i }.map(\.element).joined(separator: "\n").utf8)))
            out.append(("line \(i + 1) twice", Array((lines[...i] + [line] + lines[(i + 1)...]).joined(separator: "\n").utf8)))
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for c in cells.indices {
                for bad in cellBad {
                    var copy = cells
                    copy[c] = bad
                    var all = lines
                    all[i] = copy.joined(separator: ",")
                    out.append(("line \(i + 1) cell \(c + 1) = \(bad.prefix(16))", Array(all.joined(separator: "\n").utf8)))
                }
            }
        }
        let stride = max(1, out.count / budget)
        return Array(out.enumerated().filter { $0.offset < 4 || $0.offset % stride == 0 }.map(\.element).prefix(budget))
    }

    /// Extreme values for every shared option and budget, through the commands that take them.
    static func optionCases(tiny: String, lib: String, outputPath: () throws -> String) throws -> [FuzzCase] {
        let numbers = ["0", "-1", "1e11", "1e400", "-0", "nan", "inf", "99999999999999999999", "9223372036854775807", "abc", "", "1.5", "3"]
        var out: [FuzzCase] = []
        let costBase = ["cost", tiny]
        let searchBase = ["search", "--library", lib, "--quiet"]
        for v in numbers {
            out.append(FuzzCase(name: "cost --tp \(v)", arguments: costBase + ["--tp", v]))
            out.append(FuzzCase(name: "cost --batch \(v)", arguments: costBase + ["--batch", v, "--tp", "1"]))
            out.append(FuzzCase(name: "cost --scenario \(v)/\(v)", arguments: costBase + ["--scenario", "\(v)/\(v)"]))
            out.append(FuzzCase(name: "cost --scenario 128/\(v)", arguments: costBase + ["--scenario", "128/\(v)"]))
            out.append(FuzzCase(name: "search --time-limit \(v)", arguments: searchBase + ["--speedup", "1.1", "--time-limit", v]))
            out.append(FuzzCase(name: "search --speedup \(v)", arguments: searchBase + ["--speedup", v]))
            out.append(FuzzCase(name: "search --max-memory \(v)", arguments: searchBase + ["--max-memory", v]))
            out.append(FuzzCase(name: "search --max-memory \(v)GiB", arguments: searchBase + ["--max-memory", v + "GiB"]))
            out.append(FuzzCase(name: "search --max-latency \(v)ms", arguments: searchBase + ["--max-latency", v + "ms"]))
            out.append(FuzzCase(name: "search --max-ttft \(v)", arguments: searchBase + ["--max-ttft", v]))
            out.append(FuzzCase(name: "search --max-params \(v)B", arguments: searchBase + ["--max-params", v + "B"]))
            out.append(FuzzCase(name: "search --min-throughput \(v)", arguments: searchBase + ["--min-throughput", v]))
            out.append(FuzzCase(name: "search --diverse \(v)", arguments: searchBase + ["--speedup", "1.1", "--diverse", v, "--time-limit", "2"]))
            out.append(FuzzCase(name: "search --min-different \(v)", arguments: searchBase + ["--speedup", "1.1", "--diverse", "2", "--min-different", v]))
            out.append(FuzzCase(name: "search --batch \(v)", arguments: searchBase + ["--speedup", "1.1", "--batch", v]))
            out.append(FuzzCase(name: "search --tp \(v)", arguments: searchBase + ["--speedup", "1.1", "--tp", v]))
            out.append(FuzzCase(name: "search --pin 0-\(v)=gqa:4", arguments: searchBase + ["--speedup", "1.1", "--pin", "0-\(v)=gqa:4"]))
            out.append(FuzzCase(name: "search --pin \(v)=noop", arguments: searchBase + ["--speedup", "1.1", "--pin", "\(v)=noop"]))
            out.append(FuzzCase(name: "frontier sweep \(v)", arguments: ["frontier", "--library", lib, "--sweep", "speedup=1:\(v):3"]))
            out.append(FuzzCase(name: "frontier count \(v)", arguments: ["frontier", "--library", lib, "--sweep", "speedup=1:1.2:\(v)"]))
            out.append(FuzzCase(name: "library demo --seed \(v)", arguments: ["library", "demo", "--parent", tiny, "--seed", v]))
            out.append(FuzzCase(name: "search --margin \(v)%", arguments: searchBase + ["--speedup", "1.1", "--margin", v + "%"]))
            out.append(FuzzCase(name: "search --margin p\(v)", arguments: searchBase + ["--speedup", "1.1", "--margin", "p" + v]))
            out.append(FuzzCase(name: "plot serving --batch \(v)", arguments: ["plot", "serving", tiny, "--batch", v]))
            out.append(FuzzCase(name: "solve --time-limit \(v)", arguments: ["solve", "-", "--time-limit", v],
                stdin: Array("{\"groups\": [{\"name\": \"g\", \"items\": [{\"value\": 1, \"weights\": [1]}]}], \"rows\": [{\"name\": \"r\", \"max\": 1}]}".utf8)))
        }
        let words = ["--format", "--gpu", "--dtype", "--kv-dtype", "--engine", "--objective", "--costs", "--from", "--metric", "--template",
            "--scheduler", "--margin"]
        for w in words {
            for v in ["xml", "", "fp4", "h999", "\u{1}\n", String(repeating: "w", count: 2000)] {
                out.append(FuzzCase(name: "search \(w) \(v.prefix(8))", arguments: searchBase + ["--speedup", "1.1", w, v]))
                out.append(FuzzCase(name: "cost \(w) \(v.prefix(8))", arguments: costBase + [w, v]))
            }
        }
        // Missing values, unknown and repeated options, stray arguments, closed-over stdin twice.
        let odd: [[String]] = [
            ["search"], ["search", "--library"], ["search", "--library", lib, "--speedup"], ["search", "--library", lib, "--bogus"],
            ["search", "--library", lib, "--speedup", "1.1", "--speedup", "1.2"], ["search", "--library", lib, "stray"],
            ["search", "--library", lib, "--max-latency", "40"], ["search", "--library", lib, "--max-memory", "80"],
            ["search", "--library", lib, "--max-params", "52"], ["search", "--library", lib, "--layers", "--format", "json"],
            ["search", "--library", lib, "--min-different", "3"], ["search", "--library", lib, "--quiet", "--progress"],
            ["search", "--library", lib, "--costs", "measured", "--gpu", "h100"], ["search", "--library", "demo:nope"],
            ["search", "--library", "demo", "--from", "csv"], ["search", "--library", "demo:llama-3.1-8b", "--parent", "llama-3.1-70b"],
            ["compare", "-", "-"], ["compare", tiny], ["library"], ["library", "frob"], ["library", "merge", "-", "-"],
            ["plot"], ["plot", "pie"], ["plot", "runtime"], ["cost"], ["cost", tiny, tiny], ["cost", "--calibration"],
            ["cost", "--show-profile"], ["cost", "--gpu", "h100", "--show-profile", "--tp", "2"], ["cost", tiny, "--time-grid", "-o", "x"],
            ["cost", tiny, "--gpu", "h100", "--gpu-file", tiny], ["inspect", tiny + "#3"], ["inspect", tiny + "#0"],
            ["inspect", "--format=json=x", tiny], ["search", "--quiet=1"], ["frontier", "--library", lib], ["frontier", "--library", lib, "--sweep", "bogus=1:2:3"],
            ["frontier", "--library", lib, "--sweep", "speedup=1:2:3", "--speedup", "1.1"], ["solve"], ["solve", "-", "-"],
            ["--version"], ["--help"], ["help"], ["-h"], [], ["frobnicate"],
        ]
        for args in odd { out.append(FuzzCase(name: "args " + args.joined(separator: " ").prefix(60), arguments: args)) }
        // -o onto odd places: a directory, a missing directory, /dev/full.
        for target in ["/nonexistent-dir/x.json", FileManager.default.temporaryDirectory.path, "/dev/full"] {
            out.append(FuzzCase(name: "-o \(target)", arguments: ["library", "demo", "--parent", tiny, "-o", target]))
            out.append(FuzzCase(name: "search -o \(target)", arguments: searchBase + ["--speedup", "1.1", "-o", target]))
        }
        return out
    }

    // MARK: JSON paths

    enum PathStep { case key(String), index(Int) }

    static func describe(_ path: [PathStep]) -> String {
        path.map { step -> String in
            switch step {
            case .key(let k): return "." + k
            case .index(let i): return "[\(i)]"
            }
        }.joined()
    }

    static func collect(_ v: JSONValue, path: [PathStep], leaves: inout [[PathStep]], keys: inout [([PathStep], String)]) {
        switch v {
        case .object(let o):
            for (k, child) in o {
                keys.append((path, k))
                collect(child, path: path + [.key(k)], leaves: &leaves, keys: &keys)
            }
        case .array(let a):
            for (i, child) in a.enumerated() { collect(child, path: path + [.index(i)], leaves: &leaves, keys: &keys) }
        default:
            leaves.append(path)
        }
    }

    static func replacing(_ v: JSONValue, at path: [PathStep], with new: JSONValue) -> JSONValue {
        guard let first = path.first else { return new }
        let rest = Array(path.dropFirst())
        switch (v, first) {
        case (.object(var o), .key(let k)):
            if let child = o[k] { o[k] = replacing(child, at: rest, with: new) }
            return .object(o)
        case (.array(var a), .index(let i)) where i < a.count:
            a[i] = replacing(a[i], at: rest, with: new)
            return .array(a)
        default:
            return v
        }
    }

    static func removing(_ v: JSONValue, at path: [PathStep], key: String) -> JSONValue {
        guard let first = path.first else {
            guard case .object(var o) = v else { return v }
            o[key] = nil
            return .object(o)
        }
        let rest = Array(path.dropFirst())
        switch (v, first) {
        case (.object(var o), .key(let k)):
            if let child = o[k] { o[k] = removing(child, at: rest, key: key) }
            return .object(o)
        case (.array(var a), .index(let i)) where i < a.count:
            a[i] = removing(a[i], at: rest, key: key)
            return .array(a)
        default:
            return v
        }
    }
}
