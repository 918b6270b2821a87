import ModelArchitecture

enum BuiltinNames {
    static var list: String { BuiltinModels.names.joined(separator: ", ") }
}
