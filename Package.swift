// swift-tools-version:6.0
// puzzle: hardware-aware block selection for LLMs (Puzzle-style NAS search toolkit).
// No third-party packages: Foundation and the toolchain's test libraries only.
import PackageDescription

let package = Package(
    name: "puzzle",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "puzzle", targets: ["puzzle"]),
        .library(name: "Knapsack", targets: ["Knapsack"]),
        .library(name: "PuzzleCore", targets: ["PuzzleCore"]),
        .library(name: "ModelArchitecture", targets: ["ModelArchitecture"]),
        .library(name: "BlockLibraries", targets: ["BlockLibraries"]),
        .library(name: "CostModel", targets: ["CostModel"]),
        .library(name: "Search", targets: ["Search"]),
    ],
    targets: [
        // Shared plumbing: JSON value/parser/writer with line numbers, data errors, unit parsing, atomic writes.
        .target(name: "PuzzleCore"),
        // LLM-agnostic multiple-choice knapsack solver with several resource rows (no unsafe flags:
        // the search keeps its workspace in value types, so exclusivity is checked statically).
        .target(name: "Knapsack"),
        // Parent models, block variants, heterogeneous architectures, HF/DeciLM configs.
        .target(name: "ModelArchitecture", dependencies: ["PuzzleCore"]),
        // Scored block libraries, importers, candidate spaces, the synthetic demo library.
        .target(name: "BlockLibraries", dependencies: ["PuzzleCore", "ModelArchitecture"]),
        // GPU profiles and the roofline/serving cost model.
        .target(name: "CostModel", dependencies: ["PuzzleCore", "ModelArchitecture"]),
        // SVG charts from plain series.
        .target(name: "Plot"),
        // Library + costs + constraints -> knapsack problem -> manifest.
        .target(
            name: "Search",
            dependencies: ["PuzzleCore", "ModelArchitecture", "BlockLibraries", "CostModel", "Knapsack"]),
        .executableTarget(
            name: "puzzle",
            dependencies: ["PuzzleCore", "ModelArchitecture", "BlockLibraries", "CostModel", "Knapsack", "Search", "Plot"]),
        // Test-only helpers: locating ../shared, running processes (no product; tests only).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PuzzleCoreTests", dependencies: ["PuzzleCore", "TestSupport"]),
        .testTarget(name: "KnapsackTests", dependencies: ["Knapsack", "TestSupport"]),
        .testTarget(name: "ArchitectureTests", dependencies: ["ModelArchitecture", "PuzzleCore", "TestSupport"]),
        .testTarget(name: "BlockLibraryTests", dependencies: ["BlockLibraries", "ModelArchitecture", "PuzzleCore", "TestSupport"]),
        .testTarget(name: "CostModelTests", dependencies: ["CostModel", "ModelArchitecture", "PuzzleCore", "TestSupport"]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "BlockLibraries", "CostModel", "ModelArchitecture", "Knapsack", "PuzzleCore", "TestSupport"]),
        .testTarget(name: "PlotTests", dependencies: ["Plot"]),
        .testTarget(name: "CLITests", dependencies: ["PuzzleCore", "TestSupport"]),
    ]
)
