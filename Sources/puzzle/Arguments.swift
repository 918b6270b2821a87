import PuzzleCore

/// A small hand-written argument list: options (`--gpu h100-sxm` or `--gpu=h100-sxm`), repeatable
/// options, flags and positionals. Everything not consumed by the command is a usage error, and so
/// is a single-valued option given twice.
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

    /// Whether `name` (or an alias) is still among the arguments, without consuming it.
    func has(_ name: String, _ aliases: String...) -> Bool {
        let names = [name] + aliases
        for item in items {
            if item == "--" { return false }
            if names.contains(item) { return true }
            if let eq = item.firstIndex(of: "="), names.contains(String(item[..<eq])) { return true }
        }
        return false
    }

    /// True (and consumed) when `name` (or one of `aliases`) is present. `--flag=value` is an error.
    mutating func flag(_ name: String, _ aliases: String...) throws(UsageError) -> Bool {
        let names = [name] + aliases
        var found = false
        var index = 0
        while index < items.count {
            let item = items[index]
            if item == "--" { break }
            if names.contains(item) {
                found = true
                items.remove(at: index)
                continue
            }
            if let eq = item.firstIndex(of: "="), names.contains(String(item[..<eq])) {
                throw UsageError("\(item[..<eq]) takes no value (found \(Excerpt.quoted(item)))")
            }
            index += 1
        }
        return found
    }

    /// The value of `--name VALUE` or `--name=VALUE`; nil when absent. Given twice: an error.
    mutating func option(_ name: String, _ aliases: String...) throws(UsageError) -> String? {
        let found = try values([name] + aliases)
        guard found.count <= 1 else {
            throw UsageError("\(name) given \(found.count) times (\(found.map { Excerpt.quoted($0) }.joined(separator: ", "))); expected once")
        }
        return found.first
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
                guard index + 1 < items.count else { throw UsageError("\(item) needs a value") }
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
        guard let value = parse(text) else { throw UsageError("\(name) \(Excerpt.quoted(text)): expected \(expected)") }
        return value
    }

    /// The remaining positional arguments (consumed). Call after all options and flags.
    mutating func positionals() throws(UsageError) -> [String] {
        var result: [String] = []
        var afterDashDash = false
        for item in items {
            if afterDashDash { result.append(item); continue }
            if item == "--" { afterDashDash = true; continue }
            if item.hasPrefix("-") && item != "-" {
                throw UsageError("unknown option \(Excerpt.quoted(item)) (see 'puzzle \(command) --help')")
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
            throw UsageError(p.isEmpty ? "missing \(what)" : "expected one \(what), got \(p.count): \(p.map { Excerpt.quoted($0) }.joined(separator: " "))")
        }
        return p[0]
    }

    /// No positional arguments may be left.
    mutating func noPositionals() throws(UsageError) {
        if let first = try positionals().first { throw UsageError("unexpected argument \(Excerpt.quoted(first)) (see 'puzzle \(command) --help')") }
    }
}

/// `--format table|json` (and `csv` where a command allows it).
enum OutputFormat: String {
    case table, json, csv

    static func parse(_ args: inout Arguments, allowed: [OutputFormat] = [.table, .json], default value: OutputFormat = .table)
        throws(UsageError) -> OutputFormat
    {
        guard let text = try args.option("--format") else { return value }
        guard let f = OutputFormat(rawValue: text.lowercased()), allowed.contains(f) else {
            throw UsageError("--format \(Excerpt.quoted(text)): expected one of \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
        return f
    }
}

/// An option that would change nothing in this use of the command is an error, not a no-op.
struct UnusedOptions {
    /// Throws when any of `names` is present, naming the first and why it does nothing.
    static func refuse(_ args: Arguments, _ names: [String], because reason: String) throws(UsageError) {
        for name in names where args.has(name) {
            throw UsageError("\(name) has no effect \(reason)")
        }
    }
}
