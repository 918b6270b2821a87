import PuzzleCore

/// The parents this toolkit knows by name, usable from any directory.
public enum BuiltinModels {
    /// Names accepted as MODEL: `llama-3.1-8b`, `llama-3.1-70b`, `llama-3.1-405b`, `llama-3.3-70b`,
    /// `qwen2.5-7b`, `qwen2.5-72b`, `qwen3-8b`, `qwen3-32b`, `mistral-7b` (v0.1), `mistral-7b-v0.3`,
    /// `mixtral-8x7b`, `qwen3-30b-a3b`, `qwen3-235b-a22b`, `gpt-oss-20b`, `gpt-oss-120b`.
    public static var names: [String] { BuiltinConfigs.texts.map(\.name) }

    /// Other spellings of built-in names (the checkpoints' own names, as calibration CSVs write them).
    public static let aliases: [String: String] = [
        "mistral-7b-v0.1": "mistral-7b", "mistral-7b-instruct-v0.3": "mistral-7b-v0.3",
        "mixtral-8x7b-v0.1": "mixtral-8x7b", "qwen2.5-7b-instruct": "qwen2.5-7b", "qwen2.5-72b-instruct": "qwen2.5-72b",
        "llama-3.3-70b-instruct": "llama-3.3-70b",
    ]

    /// The canonical built-in name for `name` or one of its aliases (case-insensitive), or nil.
    public static func canonicalName(_ name: String) -> String? {
        let lower = name.lowercased()
        if BuiltinConfigs.texts.contains(where: { $0.name == lower }) { return lower }
        return aliases[lower]
    }

    /// The raw config.json text of a built-in parent.
    public static func configText(_ name: String) -> String? {
        guard let canonical = canonicalName(name) else { return nil }
        return BuiltinConfigs.texts.first { $0.name == canonical }?.json
    }

    /// The built-in parent called `name` (case-insensitive), or nil.
    public static func architecture(_ name: String) -> Architecture? {
        guard let text = configText(name) else { return nil }
        // The built-in texts are tested to parse; a failure here is a programming error.
        let canonical = canonicalName(name) ?? name.lowercased()
        guard let arch = try? ConfigReader.read(Array(text.utf8), file: "<builtin \(canonical)>", name: canonical) else {
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
