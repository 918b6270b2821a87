import Foundation
import PuzzleCore
import Testing
@testable import CostModel

@Suite struct ProfileTests {
    @Test func builtinsParseAndResolveAliases() {
        #expect(GPUProfile.builtins.count == 5)
        for name in ["h100-sxm", "h100", "H100", "h200", "a100-80gb", "a100", "l40s", "b200"] {
            #expect(GPUProfile.builtin(named: name) != nil, "\(name)")
        }
        #expect(GPUProfile.builtin(named: "h100")?.name == "h100-sxm")
        #expect(GPUProfile.builtin(named: "l40s")?.interconnect == .pcie)
        #expect(GPUProfile.builtin(named: "a100")?.fp8FlopsPerSecond == nil)
        for g in GPUProfile.builtins {
            #expect(g.sources.count >= GPUProfile.keys.count - 1)
            #expect(g.sources.values.allSatisfy { !$0.isEmpty })
        }
    }

    /// A profile written into a manifest (`gpuProfile`) reads back to the same profile: every
    /// constant, sources included (a key the writer forgets fails here).
    @Test func profileJSONRoundTrips() throws {
        for g in GPUProfile.builtins {
            var edited = g
            edited.name = g.name + "-custom"
            edited.moeGemmHalfTokens = g.moeGemmHalfTokens + 1
            let text = JSONWriter.string(edited.json)
            let back = try GPUProfile.parse(Array(text.utf8), file: "round-trip")
            #expect(back == edited, "\(g.name)")
            #expect(!back.isBuiltin)
        }
    }

    @Test func embeddedProfilesEqualConfigsGPUs() throws {
        for entry in BuiltinGPUProfiles.texts {
            let url = Fixtures.repoRoot.appendingPathComponent("configs/gpus/\(entry.name).json")
            let file = try String(contentsOf: url, encoding: .utf8)
            #expect(file == entry.json + "\n", "configs/gpus/\(entry.name).json differs from the embedded profile")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.repoRoot.appendingPathComponent("configs/gpus").path)
            .filter { $0.hasSuffix(".json") }
        #expect(files.count == BuiltinGPUProfiles.texts.count)
    }

    @Test func badProfilesNameTheField() throws {
        let good = try #require(BuiltinGPUProfileText.text("h100-sxm"))
        let cases: [(String, String, String)] = [
            ("\"gemmEfficiency\": {\n      \"value\": 0.534", "\"gemmEfficiency\": {\n      \"value\": 1.5", "constants.gemmEfficiency.value"),
            ("\"interconnect\": \"nvlink\"", "\"interconnect\": \"smoke\"", "interconnect"),
            ("\"source\": \"NVIDIA H100 datasheet (nvidia.com/en-us/data-center/h100): 3.35 TB/s\"", "\"source\": \"\"",
                "constants.hbmBytesPerSecond.source"),
        ]
        for (from, to, location) in cases {
            let text = good.replacingOccurrences(of: from, with: to)
            #expect(text != good)
            do {
                _ = try GPUProfile.parse(Array(text.utf8), file: "bad.json")
                Issue.record("accepted \(to)")
            } catch {
                #expect(error.file == "bad.json")
                #expect(error.location.contains(location), "\(error)")
            }
        }
    }
}
