import Foundation
import PuzzleCore
import Testing
import TestSupport

@testable import ModelArchitecture

/// configs/models/*.json mirror the configs compiled into the binary.
@Suite struct BuiltinMirrorTests {
    @Test(arguments: BuiltinModels.names)
    func mirrorMatches(name: String) throws {
        let path = SharedData.repository.appendingPathComponent("configs/models/\(name).json").path
        let file = try JSONParser.parse(try FileIO.read(path))
        let builtin = try JSONParser.parse(try #require(BuiltinModels.configText(name)))
        #expect(file == builtin)
    }
}
