import Architecture

enum BuiltinNames {
    static var list: String { BuiltinModels.names.joined(separator: ", ") }
}
