import Foundation
import Testing
import TestSupport

/// docs/tutorial.md cannot drift: every `sh` command of it runs here, in order, in one empty
/// directory (with `Tests/` of the repository beside it for the fixtures section 6 uses), and
/// every output it quotes (`# ` lines under a command; `# ...` elides) must appear in what the
/// command printed (stdout and stderr together, white space ignored). Sections that need
/// `$NVLABS` (../shared) or `jq` are skipped with a message when those are absent.
@Suite struct TutorialTests {
    struct Command {
        var section: String
        var text: String
        /// Quoted output blocks, in order (each block is contiguous lines of the output).
        var expected: [String]
    }

    static func commands() throws -> [Command] {
        let text = try String(contentsOfFile: SharedData.repositoryPath("docs/tutorial.md"), encoding: .utf8)
        var out: [Command] = []
        var section = "preamble"
        var inShell = false
        var inOtherFence = false
        var current: Command?
        var continuing = false
        var block = ""
        func flushBlock() {
            if !block.isEmpty { current?.expected.append(block) }
            block = ""
        }
        func finish() {
            flushBlock()
            if let c = current { out.append(c) }
            current = nil
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if raw.hasPrefix("```") {
                if inShell || inOtherFence {
                    finish()
                    inShell = false
                    inOtherFence = false
                } else if raw == "```sh" {
                    inShell = true
                } else {
                    inOtherFence = true
                }
                continue
            }
            if !inShell {
                if raw.hasPrefix("## ") { section = raw }
                continue
            }
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if continuing || trimmed.hasPrefix("|") {
                current?.text += "\n" + raw
                continuing = raw.hasSuffix("\\")
                continue
            }
            if trimmed.hasPrefix("#") {
                // Each quoted line must appear, in order (a line may quote part of an output line).
                let quoted = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
                flushBlock()
                if quoted != "..." { block = quoted }
                continue
            }
            if trimmed.isEmpty { continue }
            finish()
            current = Command(section: section, text: raw, expected: [])
            continuing = raw.hasSuffix("\\")
        }
        finish()
        return out
    }

    static var jqAvailable: Bool {
        (try? ProcessRunner.run("/bin/sh", ["-c", "command -v jq"], timeoutSeconds: 30))?.status == 0
    }

    static func squeezed(_ s: String) -> String { String(s.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init)) }

    @Test func everyCommandRunsAsWritten() throws {
        let commands = try Self.commands()
        #expect(commands.count > 30, "parsed \(commands.count) commands")
        let dir = try SharedData.scratch("puzzle-tutorial")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("Tests"),
            withDestinationURL: SharedData.repository.appendingPathComponent("Tests"))
        let binaryDirectory = URL(fileURLWithPath: CLIRunner.binary).deletingLastPathComponent().path
        let nvlabs = "data/nvlabs-puzzle-llama-3.3-70b"
        let haveNVlabs = SharedData.available(nvlabs + "/block_library.json")
        let haveJQ = Self.jqAvailable
        var skipped: [String] = []
        // One shell for the whole page, as a reader would type it (variables carry over); each
        // command's output and status are framed by marker lines.
        var script = "export PATH=\"\(binaryDirectory):$PATH\" NVLABS=\"\(SharedData.path(nvlabs))\"\nset -o pipefail\n"
        var runnable: [Command] = []
        for c in commands {
            if c.text.hasPrefix("make ") { continue }  // the set-up line: the test brings its own binary
            if c.text.contains("$NVLABS") && !haveNVlabs { skipped.append("\(c.section): needs ../shared/\(nvlabs)"); continue }
            if c.text.contains("jq ") && !haveJQ { skipped.append("\(c.section): needs jq"); continue }
            let k = runnable.count
            runnable.append(c)
            script += "echo '@@begin \(k)'\n{\n\(c.text)\n} 2>&1\necho \"@@status \(k) $?\"\n"
        }
        let r = try ProcessRunner.run("/bin/bash", ["-c", script], directory: dir, timeoutSeconds: 600)
        #expect(!r.timedOut, "the tutorial did not finish in 600 s")
        var outputs: [Int: String] = [:]
        var statuses: [Int: Int32] = [:]
        var currentIndex: Int?
        for line in r.stdout.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            if line.hasPrefix("@@begin ") {
                currentIndex = Int(line.dropFirst(8))
                continue
            }
            if line.hasPrefix("@@status ") {
                let parts = line.split(separator: " ")
                if parts.count == 3, let k = Int(parts[1]), let st = Int32(parts[2]) { statuses[k] = st }
                currentIndex = nil
                continue
            }
            if let k = currentIndex { outputs[k, default: ""] += line + "\n" }
        }
        for (k, c) in runnable.enumerated() {
            let printed = outputs[k] ?? ""
            #expect(statuses[k] == 0, "\(c.section): `\(c.text)` exited \(statuses[k].map(String.init) ?? "?"): \(printed.prefix(600))")
            var output = Self.squeezed(printed)[...]
            for expected in c.expected {
                let want = Self.squeezed(expected)
                guard let range = output.range(of: want) else {
                    Issue.record("\(c.section): `\(c.text)` does not print what the tutorial quotes:\n  expected: \(expected)\n  printed:  \(printed.prefix(1200))")
                    break
                }
                output = output[range.upperBound...]
            }
        }
        let ran = runnable.count
        if !skipped.isEmpty { print("tutorial: skipped \(skipped.count) commands: \(Set(skipped).sorted().joined(separator: "; "))") }
        print("tutorial: ran \(ran) commands")
    }
}
