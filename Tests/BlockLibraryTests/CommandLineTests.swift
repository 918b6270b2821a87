import Foundation
import Testing
import TestSupport

/// End-to-end: the debug `puzzle` binary (the tests' one locator and process runner).
enum Puzzle {
    static let binary: String? = PuzzleBinary.available ? PuzzleBinary.path : nil
    static func run(_ arguments: [String], stdin: String? = nil) throws -> ProcessRunner.Result {
        try PuzzleBinary.run(arguments, stdin: stdin)
    }
}

@Suite(.enabled(if: Puzzle.binary != nil, "the puzzle binary is not built")) struct CommandLineTests {
    @Test func initDemoShowValidateMerge() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lib = dir.appendingPathComponent("demo.json").path
        var r = try Puzzle.run(["library", "demo", "--parent", "llama-3.1-8b", "--seed", "5", "-o", lib])
        #expect(r.status == 0 && r.stdout.isEmpty)
        r = try Puzzle.run(["library", "validate", lib])
        #expect(r.status == 0)
        #expect(r.stdout.contains("valid: parent llama-3.1-8b, 32 layers, 480 candidates"))
        r = try Puzzle.run(["library", "show", lib, "--format", "json"])
        #expect(r.status == 0 && r.stdout.contains("\"synthetic\": true"))
        // Stdout without -o equals the file.
        let stdout = try Puzzle.run(["library", "demo", "--parent", "llama-3.1-8b", "--seed", "5"]).stdout
        #expect(stdout == (try String(contentsOfFile: lib, encoding: .utf8)))
        // Template rows, then init.
        r = try Puzzle.run(["library", "init", "--parent", "llama-3.1-70b", "--template", "csv", "--metric", "kl_div,mmlu"])
        #expect(r.stdout.split(separator: "\n").count == 1 + 80 * 2 * 15)
        r = try Puzzle.run(["library", "init", "--parent", "llama-3.1-70b", "--attention", "8,noop", "--ffn", "100%,50%,noop"])
        #expect(r.status == 0 && r.stdout.contains("\"ffn:14336\""))
        // Merge two CSV shards read from a file and stdin.
        let a = dir.appendingPathComponent("a.csv").path
        try smallCSV(layers: 0..<20).write(toFile: a, atomically: true, encoding: .utf8)
        r = try Puzzle.run(["library", "merge", a, "-", "--parent", "llama-3.1-8b", "--from", "csv"], stdin: smallCSV(layers: 20..<32))
        #expect(r.status == 0)
        #expect(r.stdout.contains("\"merged_from\""))
        r = try Puzzle.run(["library", "merge", a, "--parent", "llama-3.1-8b"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("layer 20: missing"))
    }

    @Test func badInputExits65WithOneLineAndLeavesOutputAlone() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.csv").path
        try (smallCSV() + "3,ffn,ffn:7168\n").write(toFile: bad, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.json").path
        try "previous".write(toFile: out, atomically: true, encoding: .utf8)
        let r = try Puzzle.run(["library", "import", bad, "--parent", "llama-3.1-8b", "-o", out])
        #expect(r.status == 65)
        #expect(r.stderr == "puzzle: \(bad): line 130: expected 5 columns (layer,subblock,variant,metric,value), found 3\n")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "previous")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["bad.csv", "out.json"])
        // Usage errors exit 64.
        #expect(try Puzzle.run(["library", "frobnicate"]).status == 64)
        #expect(try Puzzle.run(["library", "import", bad]).status == 65)  // no parent for CSV: a data problem
        #expect(try Puzzle.run(["library", "show", bad, "--from", "xml"]).status == 64)
        #expect(try Puzzle.run(["library", "init"]).status == 64)
        #expect(try Puzzle.run(["library", "--help"]).status == 0)
    }

    @Test(.enabled(if: Shared.nvlabsLibrary != nil, "skipping: ../shared/data/nvlabs-puzzle-llama-3.3-70b is absent"))
    func nvlabsImportThroughTheCLI() throws {
        let path = try #require(Shared.nvlabsLibrary)
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("nv.json").path
        var r = try Puzzle.run(["library", "import", path, "-o", out])
        #expect(r.status == 0)
        #expect(r.stderr.contains("parent guessed as llama-3.3-70b"))
        r = try Puzzle.run(["library", "import", path, "--parent", "llama-3.3-70b", "-o", out])
        #expect(r.status == 0 && r.stderr.isEmpty)
        r = try Puzzle.run(["library", "show", out])
        #expect(r.stdout.contains("measured on  NVIDIA H100 80GB HBM3, fp8, batch 256, sequence 1200"))
        #expect(r.stdout.contains("layers       80, candidates 1280"))
    }
}
