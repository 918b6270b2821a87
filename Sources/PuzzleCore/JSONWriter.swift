/// Deterministic JSON text: members in their stored order, reals in the shortest form that
/// reads back to the same `Double`, two-space indentation when pretty.
public enum JSONWriter {
    public static func string(_ value: JSONValue, pretty: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(256)
        write(value, into: &out, pretty: pretty, indent: 0)
        return out
    }

    /// JSON text for a real number: shortest round-trip form, always with a '.' or exponent so
    /// that it reads back as a real. Non-finite numbers become `null`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        var text = value.description
        // Swift prints e.g. "1e-05" and "5e+20"; both are valid JSON.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") }) { text += ".0" }
        return text
    }

    /// Indentation strings, made once (deep nesting past the table is built on demand).
    private static let indentation: [String] = (0..<64).map { String(repeating: " ", count: $0) }

    @inline(__always) private static func spaces(_ n: Int) -> String {
        n < indentation.count ? indentation[n] : String(repeating: " ", count: n)
    }

    private static func write(_ value: JSONValue, into out: inout String, pretty: Bool, indent: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += number(d)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            // Arrays of scalars stay on one line: easier to read and diff.
            let scalarOnly = items.allSatisfy {
                switch $0 {
                case .array, .object: return false
                default: return true
                }
            }
            if !pretty || scalarOnly {
                out += "["
                for (k, item) in items.enumerated() {
                    if k > 0 { out += pretty ? ", " : "," }
                    write(item, into: &out, pretty: pretty, indent: indent)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (k, item) in items.enumerated() {
                out += spaces(indent + 2)
                write(item, into: &out, pretty: pretty, indent: indent + 2)
                out += k + 1 < items.count ? ",\n" : "\n"
            }
            out += spaces(indent) + "]"
        case .object(let object):
            if object.isEmpty {
                out += "{}"
                return
            }
            out += pretty ? "{\n" : "{"
            var k = 0
            for (key, member) in object {
                if pretty { out += spaces(indent + 2) }
                writeString(key, into: &out)
                out += pretty ? ": " : ":"
                write(member, into: &out, pretty: pretty, indent: indent + 2)
                k += 1
                if k < object.count { out += pretty ? ",\n" : "," } else if pretty { out += "\n" }
            }
            if pretty { out += spaces(indent) }
            out += "}"
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
        // Most strings need no escape: copied whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
