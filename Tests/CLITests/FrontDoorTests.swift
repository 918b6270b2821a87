import Foundation
import Testing
import TestSupport

/// The front door (issue 11): every example of a silent wrong answer, crash or misleading output
/// found by trying the CLI as a new user, now a correct answer or one clear line with exit 64/65/1.
@Suite(.serialized) struct FrontDoorTests {
    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// Expects exit `status` with exactly one stderr line containing every fragment.
    func expectError(_ args: [String], status: Int32, _ fragments: [String], stdin: String? = nil, in dir: URL? = nil,
        sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        let r = try CLIRunner.run(args, stdin: stdin, in: dir)
        #expect(r.status == status, "puzzle \(args.joined(separator: " ")): exit \(r.status), stderr \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1, "one line expected: \(r.stderr)", sourceLocation: sourceLocation)
        for f in fragments {
            #expect(r.stderr.contains(f), "stderr lacks \(f): \(r.stderr)", sourceLocation: sourceLocation)
        }
        #expect(r.stdout.isEmpty || status == 0, sourceLocation: sourceLocation)
    }

    // MARK: no silent reinterpretation

    @Test func budgetsNeedUnits() throws {
        let base = ["search", "--library", "demo:llama-3.1-8b", "--quiet"]
        try expectError(base + ["--max-latency", "40"], status: 64, ["--max-latency", "unit is required", "ms"])
        try expectError(base + ["--max-memory", "80"], status: 64, ["--max-memory", "unit is required", "GiB"])
        try expectError(base + ["--max-params", "52"], status: 64, ["--max-params", "unit is required", "B"])
        try expectError(["frontier", "--library", "demo:llama-3.1-8b", "--sweep", "latency=20:40:3"], status: 64, ["unit is required"])
        // Units are case-insensitive, and the sweep takes them too.
        let r = try CLIRunner.run(base + ["--max-params", "6b", "--max-latency", "40MS", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let manifest = try #require(try json(r.stdout) as? [String: Any])
        let constraints = try #require(manifest["constraints"] as? [[String: Any]])
        #expect(constraints.contains { $0["name"] as? String == "tpot" && $0["budget"] as? Double == 0.04 })
        #expect(constraints.contains { $0["name"] as? String == "parameters" && $0["budget"] as? Double == 6e9 })
        let f = try CLIRunner.run(["frontier", "--library", "demo:llama-3.1-8b", "--sweep", "memory=20GiB:40GiB:3", "--format", "csv"])
        #expect(f.status == 0, "\(f.stderr)")
        #expect(f.stdout.contains("\n21474836480,"), "budgets in bytes: \(f.stdout)")
    }

    @Test func pinsAndForbidsThatMatchNothing() throws {
        let base = ["search", "--library", "demo:llama-3.1-8b", "--speedup", "1.5", "--quiet"]
        try expectError(base + ["--pin", "0-3=gqa:3"], status: 64, ["--pin", "gqa:3", "matches no candidate"])
        try expectError(base + ["--pin", "5=banana"], status: 64, ["--pin", "banana", "matches no candidate"])
        try expectError(base + ["--forbid", "gqa:7"], status: 64, ["--forbid", "matches no candidate in any layer"])
        // A huge range is checked against the layer count before anything is expanded: at once.
        let start = Date()
        try expectError(base + ["--pin", "0-99999999999=gqa:8"], status: 64, ["layers must be within 0-31"])
        #expect(Date().timeIntervalSince(start) < 30)
    }

    @Test func parentMustAgreeWithTheLibrary() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lib = dir.appendingPathComponent("lib.json").path
        #expect(try CLIRunner.run(["library", "demo", "--parent", "llama-3.1-70b", "-o", lib]).status == 0)
        try expectError(["search", "--library", lib, "--parent", "llama-3.3-70b", "--speedup", "2"], status: 65,
            ["parent", "llama-3.1-70b", "llama-3.3-70b"])
        try expectError(["search", "--library", "demo:llama-3.1-8b", "--parent", "llama-3.1-70b"], status: 64, ["--parent", "disagrees"])
    }

    @Test func ignoredOptionsAreErrors() throws {
        try expectError(["cost", "llama-3.1-8b", "--time-grid", "-o", "x.txt"], status: 64, ["-o has no effect with --time-grid"])
        try expectError(["cost", "--calibration", "x.csv", "--tp", "2"], status: 64, ["--tp has no effect with --calibration"])
        try expectError(["search", "--library", "demo:llama-3.1-8b", "--speedup", "1.5", "--min-different", "3"], status: 64,
            ["--min-different has no effect without --diverse"])
        try expectError(["search", "--library", "demo:llama-3.1-8b", "--layers", "--format", "json"], status: 64, ["--layers has no effect"])
        try expectError(["search", "--library", "demo:llama-3.1-8b", "--costs", "measured", "--gpu", "h200"], status: 64,
            ["--gpu needs the cost model"])
        try expectError(["search", "--library", "demo:llama-3.1-8b", "--speedup", "1.5", "--speedup", "2"], status: 64, ["given 2 times"])
    }

    /// One rule for TP everywhere: `plot runtime --tp 3` is refused as `cost` refuses it.
    @Test func oneRuleForTP() throws {
        for args in [["cost", "llama-3.1-8b", "--tp", "3"], ["plot", "runtime", "llama-3.1-8b", "--tp", "3"],
            ["compare", "llama-3.1-8b", "llama-3.1-70b", "--tp", "3"]]
        {
            try expectError(args, status: 64, ["--tp 3 does not divide the 32 query heads"])
        }
        try expectError(["search", "--library", "demo:llama-3.1-8b", "--tp", "65"], status: 64, ["--tp", "from 1 to 64"])
        try expectError(["cost", "llama-3.1-8b", "--tp", "65"], status: 64, ["--tp", "from 1 to 64"])
    }

    // MARK: manifests as MODEL

    /// `cost MANIFEST` with no other option predicts the child on the GPU, dtype, TP and batch it
    /// was searched for, says so, and matches the manifest's own prediction.
    @Test func costOfAManifestUsesItsOwnSettings() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = dir.appendingPathComponent("child.json").path
        let s = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--gpu", "b200", "--dtype", "bf16", "--scenario", "2048/128",
            "--speedup", "1.5", "--quiet", "-o", m])
        #expect(s.status == 0, "\(s.stderr)")
        let manifest = try #require(try json(String(contentsOfFile: m, encoding: .utf8)) as? [String: Any])
        let predicted = try #require((manifest["predicted"] as? [[String: Any]])?.first)
        let r = try CLIRunner.run(["cost", m, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let cost = try #require(try json(r.stdout) as? [String: Any])
        #expect(cost["gpu"] as? String == "b200")
        #expect(cost["dtype"] as? String == "bf16")
        #expect(cost["tp"] as? Int == predicted["tp"] as? Int)
        #expect(cost["batchSize"] as? Int == predicted["batchSize"] as? Int)
        #expect(cost["throughputPerGPU"] as? Double == predicted["throughputPerGPU"] as? Double, "the manifest's own prediction, to the last digit")
        #expect(cost["tpotSeconds"] as? Double == predicted["tpotSeconds"] as? Double)
        let settings = try #require(cost["settings"] as? [String: [String: Any]])
        for key in ["gpu", "dtype", "tp", "scenario", "batch"] {
            #expect(settings[key]?["source"] as? String == "manifest", "\(key) comes from the manifest")
        }
        // The table says where the settings came from; an option overrides and says so.
        let table = try CLIRunner.run(["cost", m, "--gpu", "h100"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("GPU h100-sxm (option)"))
        #expect(table.stdout.contains("dtype bf16 (manifest)"))
        // compare: the same settings, from the manifest, with the parent at its own best TP.
        let c = try CLIRunner.run(["compare", "llama-3.1-8b", m, "--format", "json"])
        #expect(c.status == 0, "\(c.stderr)")
        let cj = try #require(try json(c.stdout) as? [String: Any])
        let cs = try #require(cj["settings"] as? [String: [String: Any]])
        #expect(cs["gpu"]?["value"] as? String == "b200" && cs["gpu"]?["source"] as? String == "manifest")
        let models = try #require(cj["models"] as? [[String: Any]])
        let child = try #require((models[1]["predicted"] as? [[String: Any]])?.first)
        #expect(child["throughputPerGPU"] as? Double == predicted["throughputPerGPU"] as? Double)
    }

    @Test func diverseListsAndInfeasibleManifests() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = dir.appendingPathComponent("diverse.json").path
        let s = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--speedup", "1.5", "--diverse", "2", "--min-different", "3",
            "--quiet", "--format", "json", "-o", list])
        #expect(s.status == 0, "\(s.stderr)")
        let children = try #require(try json(s.stdout) as? [[String: Any]])
        #expect(children.count == 2)
        // Each child reports its own work: the second one solve, with its own nodes and seconds.
        let solvers = children.compactMap { $0["solver"] as? [String: Any] }
        #expect(solvers[1]["solves"] as? Int == 1)
        #expect((solvers[0]["solves"] as? Int ?? 0) > 1)
        #expect(solvers[0]["seconds"] as? Double != solvers[1]["seconds"] as? Double)
        let first = try CLIRunner.run(["inspect", list, "--format", "json"])
        let second = try CLIRunner.run(["inspect", list + "#2", "--format", "json"])
        #expect(first.status == 0 && second.status == 0, "\(first.stderr) \(second.stderr)")
        let p1 = try #require(try json(first.stdout) as? [String: Any])["parameters"] as? Int
        let p2 = try #require(try json(second.stdout) as? [String: Any])["parameters"] as? Int
        #expect(p1 == children[0]["parameters"] as? Int)
        #expect(p2 == children[1]["parameters"] as? Int)
        try expectError(["inspect", list + "#3"], status: 64, ["holds 2 manifests"])
        let c = try CLIRunner.run(["compare", list + "#1", list + "#2"])
        #expect(c.status == 0, "\(c.stderr)")

        // An infeasible manifest as MODEL: one clear line, not "hidden_size: missing required field".
        let bad = dir.appendingPathComponent("infeasible.json").path
        let config = dir.appendingPathComponent("config.json").path
        let i = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--speedup", "90", "-o", bad, "--export-decilm", config])
        #expect(i.status == 0)
        #expect(i.stdout.contains("status: infeasible"))
        #expect(i.stderr.contains("wrote nothing to \(config)"), "\(i.stderr)")
        #expect(!FileManager.default.fileExists(atPath: config))
        try expectError(["cost", bad], status: 65, ["infeasible search result"])
    }

    // MARK: honest reports

    @Test func namesAndHeaders() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.json").path
        let config = dir.appendingPathComponent("a.config.json").path
        #expect(try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--speedup", "1.5", "--quiet", "-o", a,
            "--export-decilm", config]).status == 0)
        let manifest = try #require(try json(String(contentsOfFile: a, encoding: .utf8)) as? [String: Any])
        #expect(manifest["name"] as? String == "llama-3.1-8b-1.5x-h100-sxm")
        let exported = try #require(try json(String(contentsOfFile: config, encoding: .utf8)) as? [String: Any])
        #expect(exported["_name_or_path"] as? String == "llama-3.1-8b-1.5x-h100-sxm", "the exported config does not claim to be the parent")
        // The same child twice: headers made unique.
        let c = try CLIRunner.run(["compare", a, a, "--format", "json"])
        #expect(c.status == 0, "\(c.stderr)")
        let names = (try #require(try json(c.stdout) as? [String: Any])["models"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(names.count == 2 && Set(names).count == 2, "\(names)")
    }

    @Test func noTimingIsByteIdentical() throws {
        let args = ["search", "--library", "demo:llama-3.1-8b", "--speedup", "1.5", "--quiet", "--no-timing", "--format", "json"]
        let a = try CLIRunner.run(args)
        let b = try CLIRunner.run(args)
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(!a.stdout.contains("\"seconds\""))
    }

    @Test func progressOnRequest() throws {
        let quiet = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--speedup", "1.5"])
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty, "stderr is not a terminal: no progress by default")
        let loud = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--speedup", "1.5", "--progress"])
        #expect(loud.stderr.contains("search: "), "\(loud.stderr)")
    }

    @Test func csvNumbersInShortestForm() throws {
        let r = try CLIRunner.run(["frontier", "--library", "demo:llama-3.1-8b", "--sweep", "speedup=1:1.6:7", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let budgets = r.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",").first ?? "") }
        #expect(budgets == ["1", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6"], "\(budgets)")
        #expect(!r.stdout.contains("0000000000") && !r.stdout.contains("9999999999"), "float noise: \(r.stdout)")
    }

    // MARK: any input a Unix user gives

    @Test func streamsPipesAndLineEnds() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = SharedData.repositoryPath("configs/models/llama-3.1-8b.json")
        let text = try String(contentsOfFile: config, encoding: .utf8)
        // /dev/stdin and a named pipe are read as streams.
        let viaDevice = try CLIRunner.run(["inspect", "/dev/stdin"], stdin: text)
        #expect(viaDevice.status == 0 && viaDevice.stdout.contains("8,030,261,248"), "\(viaDevice.stderr)")
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        DispatchQueue.global().async { try? text.write(toFile: fifo, atomically: false, encoding: .utf8) }
        let viaFIFO = try CLIRunner.run(["inspect", fifo])
        #expect(viaFIFO.status == 0 && viaFIFO.stdout.contains("8,030,261,248"), "\(viaFIFO.stderr)")
        // A CSV with CRLF line ends and a UTF-8 byte-order mark (Python's csv module, Excel).
        var csv = "layer,subblock,variant,metric,value\r\n"
        for l in 0..<32 {
            csv += "\(l),attention,gqa:8,kl_div,0\r\n\(l),attention,noop,kl_div,0.5\r\n\(l),ffn,ffn:14336,kl_div,0\r\n\(l),ffn,noop,kl_div,0.9\r\n"
        }
        let csvPath = dir.appendingPathComponent("scores.csv").path
        try Data([0xEF, 0xBB, 0xBF] + Array(csv.utf8)).write(to: URL(fileURLWithPath: csvPath))
        let imported = try CLIRunner.run(["library", "validate", csvPath, "--from", "csv", "--parent", "llama-3.1-8b"])
        #expect(imported.status == 0, "\(imported.stderr)")
        // A bad CSV quotes a short excerpt, not the whole file.
        let badPath = dir.appendingPathComponent("bad.csv").path
        try (String(repeating: "x", count: 5000) + "\r\n").write(toFile: badPath, atomically: true, encoding: .utf8)
        let bad = try CLIRunner.run(["library", "validate", badPath, "--from", "csv", "--parent", "llama-3.1-8b"])
        #expect(bad.status == 65)
        #expect(bad.stderr.count < 400, "\(bad.stderr.count) characters")
    }

    @Test func closedAndFullStreams() throws {
        for (redirect, code) in [(">&-", "1"), ("> /dev/full", "1"), ("<&- ", "")] {
            let command = redirect.hasPrefix("<") ? "\(CLIRunner.binary) inspect - \(redirect)" : "\(CLIRunner.binary) inspect llama-3.1-8b \(redirect)"
            let r = try ProcessRunner.run("/bin/sh", ["-c", command + "; echo \"exit=$?\""], timeoutSeconds: 60)
            #expect(r.stdout.contains("exit=1"), "\(command): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.hasPrefix("puzzle"), "\(command): \(r.stderr)")
            _ = code
        }
        // stdout closed and stderr closed too: still exit 1, nothing traps.
        let r = try ProcessRunner.run("/bin/sh", ["-c", "\(CLIRunner.binary) inspect llama-3.1-8b >&- 2>&-; echo \"exit=$?\""], timeoutSeconds: 60)
        #expect(r.stdout.contains("exit=1"))
    }

    // MARK: safe output

    @Test func outputThroughLinksDevicesAndFIFOs() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A symbolic link: the target is written, the link stays a link.
        let target = dir.appendingPathComponent("target.json").path
        let link = dir.appendingPathComponent("link.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.json")
        #expect(try CLIRunner.run(["library", "init", "--parent", "llama-3.1-8b", "-o", link]).status == 0)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == "target.json")
        #expect(FileManager.default.fileExists(atPath: target))
        // A device: written in place, never replaced by a regular file.
        #expect(try CLIRunner.run(["library", "init", "--parent", "llama-3.1-8b", "-o", "/dev/null"]).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/null")
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
        // A FIFO: written in place (a reader gets the library).
        let fifo = dir.appendingPathComponent("out.fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        nonisolated(unsafe) var received = Data()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            // A plain reader of the pipe (FileManager reads a FIFO's zero st_size and stops).
            let fd = open(fifo, O_RDONLY)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while fd >= 0 {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                received.append(contentsOf: buffer[0..<n])
            }
            if fd >= 0 { close(fd) }
            done.signal()
        }
        #expect(try CLIRunner.run(["library", "init", "--parent", "llama-3.1-8b", "-o", fifo], timeoutSeconds: 60).status == 0)
        _ = done.wait(timeout: .now() + 60)
        #expect(String(decoding: received, as: UTF8.self).contains("puzzle-block-library"))
        let kind = try FileManager.default.attributesOfItem(atPath: fifo)[.type] as? FileAttributeType
        #expect(kind != .typeRegular)
    }

    // MARK: no trap, hang or overflow

    @Test func extremeNumbers() throws {
        let dir = try CLIRunner.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A time limit of 1e11 s is clamped, not a trap.
        let t = try CLIRunner.run(["search", "--library", "demo:llama-3.1-8b", "--speedup", "1.5", "--time-limit", "1e11", "--quiet"])
        #expect(t.status == 0, "\(t.stderr)")
        try expectError(["cost", "llama-3.1-8b", "--batch", "99999999999999999999"], status: 64, ["--batch"])
        try expectError(["cost", "llama-3.1-8b", "--scenario", "99999999999999999999/1"], status: 64, ["--scenario"])
        // Config values of 1e9 are refused with the field and the limit, without allocating.
        for field in ["intermediate_size", "hidden_size", "vocab_size", "num_hidden_layers", "head_dim"] {
            let path = dir.appendingPathComponent("\(field).json").path
            var fields = ["hidden_size": 4096, "num_attention_heads": 32, "num_hidden_layers": 2, "vocab_size": 1000,
                "intermediate_size": 14336, "head_dim": 128]
            fields[field] = 1_000_000_000
            let config = "{" + fields.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            try expectError(["inspect", path], status: 65, [field, "expected an integer from 1 to"])
        }
        // A GPU profile with a reserve beyond its memory.
        let profile = try CLIRunner.run(["cost", "--gpu", "h100", "--show-profile"]).stdout
        let huge = profile.replacingOccurrences(of: "\"value\": 4617089843", with: "\"value\": 1e17")
        #expect(huge != profile, "the built-in reserve (4.3 GiB = 4617089843 bytes) is no longer in the profile")
        let gpu = dir.appendingPathComponent("gpu.json").path
        try huge.write(toFile: gpu, atomically: true, encoding: .utf8)
        try expectError(["cost", "llama-3.1-8b", "--gpu-file", gpu], status: 65, ["runtimeReserveBytes"])
        // Knapsack sums past the largest Double are data errors naming the row.
        let problem = """
            {"groups": [{"name": "a", "items": [{"value": 1, "weights": [1e308]}]}, {"name": "b", "items": [{"value": 1, "weights": [1e308]}]}],
             "rows": [{"name": "memory", "max": 1e308}]}
            """
        try expectError(["solve", "-"], status: 65, ["memory", "1e+300"], stdin: problem)
        let values = """
            {"groups": [{"name": "a", "items": [{"value": 1e308, "weights": [1]}]}, {"name": "b", "items": [{"value": 1e308, "weights": [1]}]}],
             "rows": [{"name": "r", "max": 10}]}
            """
        try expectError(["solve", "-"], status: 65, ["values"], stdin: values)
    }
}
