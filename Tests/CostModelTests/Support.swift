import ModelArchitecture
import Foundation
import TestSupport
@testable import CostModel

/// Shared fixtures for the cost-model tests.
enum Fixtures {
    static let repoRoot: URL = SharedData.repository

    /// A file under ../shared, or nil when it is absent (tests skip).
    static func sharedFile(_ relative: String) -> URL? {
        SharedData.available(relative) ? URL(fileURLWithPath: SharedData.path(relative)) : nil
    }

    static var h100: GPUProfile {
        guard let g = GPUProfile.builtin(named: "h100-sxm") else { fatalError("built-in h100-sxm profile missing") }
        return g
    }

    static func builtin(_ name: String) -> Architecture {
        guard let a = BuiltinModels.architecture(name) else { fatalError("built-in model \(name) missing") }
        return a
    }

    /// A heterogeneous 80-layer child of Llama-3.1-70B cycling through every kind of variant.
    static var heterogeneous70B: Architecture {
        let parent = builtin("llama-3.1-70b")
        let pattern: [(AttentionVariant, FFNVariant)] = [
            (.gqa(kvHeads: 8), .swiGLU(intermediateSize: 28672)), (.noOp, .swiGLU(intermediateSize: 14336)),
            (.gqa(kvHeads: 2), .linear), (.linear, .noOp), (.gqa(kvHeads: 1), .swiGLU(intermediateSize: 5632)),
            (.gqa(kvHeads: 4), .swiGLU(intermediateSize: 21504)), (.noOp, .noOp),
        ]
        return parent.replacingLayers((0..<80).map { pattern[$0 % pattern.count] }, name: "hetero-70b")
    }

    static func relClose(_ a: Double, _ b: Double, _ tol: Double = 1e-9) -> Bool {
        abs(a - b) <= tol * max(abs(a), abs(b), 1e-300)
    }
}
