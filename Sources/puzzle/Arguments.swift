import PuzzleCore

/// A small hand-written argument list: options (`--gpu h100-sxm` or `--gpu=h100-sxm`), repeatable
/// options, flags and positionals. Everything not consumed by the command is a usage error.
struct Arguments {
    private var items: [String]
    let command: String

    init(_ items: [String], command: String) {
        self.items = items
        self.command = command
    }

    var isEmpty: Bool { items.isEmpty }

    /// Removes and returns the first argument when it is a word (a subcommand such as
    /// `library show`), or nil when the list is empty or starts with an option.
    mutating func popSubcommand() -> String? {
        guard let first = items.first, !first.hasPrefix("-") else { return nil }
        items.removeFirst()
        return first
    }

    /// True (and consumed) when `name` (or one of `aliases`) is present.
    mutating func flag(_ name: String, _ aliases: String...) -> Bool {
        let names = [name] + aliases
        var found = false
        items.removeAll { item in
            if names.contains(item) {
                found = true
                return true
            }
            return false
        }
        return found
    }

    /// The value of the last `--name VALUE` or `--name=VALUE`; nil when absent.
    mutating func option(_ name: String, _ aliases: String...) throws(UsageError) -> String? {
        try values([name] + aliases).last
    }

    /// Every value of a repeatable option, in order.
    mutating func options(_ name: String, _ aliases: String...) throws(UsageError) -> [String] {
        try values([name] + aliases)
    }

    private mutating func values(_ names: [String]) throws(UsageError) -> [String] {
        var result: [String] = []
        var index = 0
        while index < items.count {
            let item = items[index]
            if item == "--" { break }
            if names.contains(item) {
                guard index + 1 < items.count else { throw UsageError("\(command): \(item) needs a value") }
                result.append(items[index + 1])
                items.removeSubrange(index...(index + 1))
                continue
            }
            if let eq = item.firstIndex(of: "="), names.contains(String(item[..<eq])) {
                result.append(String(item[item.index(after: eq)...]))
                items.remove(at: index)
                continue
            }
            index += 1
        }
        return result
    }

    /// A parsed option value, with a usage error naming the option when it does not parse.
    mutating func option<T>(_ name: String, expected: String, _ parse: (String) -> T?) throws(UsageError) -> T? {
        guard let text = try option(name) else { return nil }
        guard let value = parse(text) else { throw UsageError("\(command): \(name) \(text): expected \(expected)") }
        return value
    }

    /// The remaining positional arguments (consumed). Call after all options and flags.
    mutating func positionals() throws(UsageError) -> [String] {
        var result: [String] = []
        var afterDashDash = false
        for item in items {
            if afterDashDash { result.append(item); continue }
            if item == "--" { afterDashDash = true; continue }
            if item.hasPrefix("-") && item != "-" && Double(item) == nil {
                throw UsageError("\(command): unknown option \(item) (see 'puzzle \(command) --help')")
            }
            result.append(item)
        }
        items = []
        return result
    }

    /// Exactly one positional argument, named `what` in the error.
    mutating func single(_ what: String) throws(UsageError) -> String {
        let p = try positionals()
        guard p.count == 1 else {
            throw UsageError(p.isEmpty ? "\(command): missing \(what)" : "\(command): expected one \(what), got \(p.count): \(p.joined(separator: " "))")
        }
        return p[0]
    }

    /// Fails on anything left over.
    func finish() throws(UsageError) {
        if let first = items.first {
            throw UsageError("\(command): unexpected argument \(first) (see 'puzzle \(command) --help')")
        }
    }
}

/// `--format table|json` (and `csv` where a command allows it).
enum OutputFormat: String {
    case table, json, csv

    static func parse(_ args: inout Arguments, allowed: [OutputFormat] = [.table, .json]) throws(UsageError) -> OutputFormat {
        guard let text = try args.option("--format") else { return .table }
        guard let f = OutputFormat(rawValue: text), allowed.contains(f) else {
            throw UsageError("\(args.command): --format \(text): expected one of \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
        return f
    }
}
