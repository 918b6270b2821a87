import PuzzleCore

/// The parents this toolkit knows by name, usable from any directory.
public enum BuiltinModels {
    /// Names accepted as MODEL: `llama-3.1-8b`, `llama-3.1-70b`, `llama-3.1-405b`, `llama-3.3-70b`.
    public static var names: [String] { BuiltinConfigs.texts.map(\.name) }

    /// The raw config.json text of a built-in parent.
    public static func configText(_ name: String) -> String? {
        BuiltinConfigs.texts.first { $0.name == name.lowercased() }?.json
    }

    /// The built-in parent called `name` (case-insensitive), or nil.
    public static func architecture(_ name: String) -> Architecture? {
        guard let text = configText(name) else { return nil }
        // The built-in texts are tested to parse; a failure here is a programming error.
        guard let arch = try? ConfigReader.read(Array(text.utf8), file: "<builtin \(name)>", name: name.lowercased()) else {
            preconditionFailure("built-in config \(name) does not parse")
        }
        return arch
    }
}

/// Loading a MODEL argument: a built-in name, a path to an HF/DeciLM config, or `-` for stdin.
public enum ModelSource {
    public static func load(_ spec: String) throws(DataError) -> Architecture {
        if let builtin = BuiltinModels.architecture(spec) { return builtin }
        let bytes = try FileIO.read(spec)
        let file = FileIO.displayName(spec)
        return try ConfigReader.read(bytes, file: file, name: nil)
    }

    /// Whether `spec` names a built-in model rather than a file.
    public static func isBuiltin(_ spec: String) -> Bool { BuiltinModels.configText(spec) != nil }
}
