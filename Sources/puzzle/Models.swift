import ModelArchitecture
import PuzzleCore

/// MODEL arguments: a built-in parent, an HF/DeciLM config, a search manifest (its embedded
/// `architecture` config), or `-` for stdin.
enum Models {
    static func load(_ spec: String) throws(DataError) -> Architecture {
        if let builtin = BuiltinModels.architecture(spec) { return builtin }
        let bytes = try FileIO.read(spec)
        let file = FileIO.displayName(spec)
        let root = try JSONReader.parse(bytes, file: file)
        if let embedded = try manifestArchitecture(root) { return embedded }
        return try ConfigReader.read(root)
    }

    /// A search manifest carries its child as a DeciLM config under `architecture`.
    static func manifestArchitecture(_ root: JSONReader) throws(DataError) -> Architecture? {
        guard root.value["kind"]?.stringValue == "puzzle-manifest", let config = try root.optional("architecture") else {
            return nil
        }
        let name = root.value["name"]?.stringValue
        return try ConfigReader.read(config, name: name ?? root.file)
    }
}
