import ModelArchitecture
import PuzzleCore

/// The formats `BlockLibrary.load` reads.
public enum LibraryFormat: String, Sendable, CaseIterable {
    /// Detect from the content (see `detect`).
    case auto
    /// This toolkit's JSON (`"format": "puzzle-block-library"`).
    case native
    /// NVlabs/puzzle `block_library.json` (`{"layer_0": {"<variant>": {"stats", "metrics"}}}`).
    case nvlabs
    /// `layer,subblock,variant,metric,value` rows.
    case csv
    /// The same five fields as JSON lines.
    case jsonl
    /// Records in Model-Optimizer puzzletron's block-config schema (JSON array or lines).
    case puzzletron

    /// Detection: a JSON object with `"format": "puzzle-block-library"` is native; one whose first
    /// key is `layer_N` holding an object is NVlabs; a JSON array, or JSON lines whose first
    /// record has `attention`/`ffn` objects, is puzzletron; JSON lines with `metric` are jsonl;
    /// anything else is CSV.
    public static func detect(_ bytes: [UInt8]) -> LibraryFormat {
        guard let first = bytes.first(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }) else { return .csv }
        if first == UInt8(ascii: "[") { return .puzzletron }
        guard first == UInt8(ascii: "{") else { return .csv }
        if let whole = try? JSONParser.parse(bytes) {
            if whole["format"] != nil { return .native }
            if NVlabsImporter.looksLikeNVlabs(whole) { return .nvlabs }
        }
        // JSON lines: look at the first line.
        let line = bytes.split(separator: UInt8(ascii: "\n")).first { !$0.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 } }
        if let line, let record = try? JSONParser.parse(Array(line)) {
            if record["attention"]?.objectValue != nil || record["ffn"]?.objectValue != nil { return .puzzletron }
            if record["format"] != nil { return .native }
            if record["metric"] != nil || record["layer"] != nil || record["subblock"] != nil { return .jsonl }
        }
        return .native
    }
}

extension BlockLibrary {
    /// Loads a library from `path` (`-` for stdin) in `format`, then validates it fully
    /// (`validate(file:complete:)`). Errors name the file and where in it.
    public static func load(_ path: String, format: LibraryFormat = .auto, options: ImportOptions = ImportOptions(),
        complete: Bool = true) throws -> BlockLibrary
    {
        let bytes = try FileIO.read(path)
        let file = FileIO.displayName(path)
        guard bytes.contains(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }) else {
            throw DataError(file: file, "is empty; expected a block library (native JSON, NVlabs JSON, CSV, JSON lines or puzzletron records)")
        }
        let library = try parse(bytes, file: file, path: path, format: format, options: options)
        try library.validate(file: file, complete: complete)
        return library
    }

    /// Parses without validating (importers still check what they can per line).
    public static func parse(_ bytes: [UInt8], file: String, path: String = "-", format: LibraryFormat = .auto,
        options: ImportOptions = ImportOptions()) throws -> BlockLibrary
    {
        let chosen = format == .auto ? LibraryFormat.detect(bytes) : format
        var library: BlockLibrary
        switch chosen {
        case .native, .auto:
            library = try NativeFormat.read(try LibraryJSON.parse(bytes, file: file))
            // A requested parent must be the library's own: same name and same blocks (Llama-3.1-70B
            // and -3.3-70B share their shape but are different parents).
            if let parent = options.parent,
                !parent.hasSameBlocks(as: library.parent) || (parent.name != library.parent.name && parent.config != library.parent.config)
            {
                throw DataError(file: file, location: "parent", "is \(library.parent.name), not the requested \(parent.name)")
            }
        case .nvlabs:
            library = try NVlabsImporter.read(try LibraryJSON.parse(bytes, file: file), path: path, options: options)
        case .csv:
            library = try LongFormatImporter.build(try LongFormatImporter.parseCSV(bytes, file: file), file: file, options: options, sourceName: "csv")
        case .jsonl:
            library = try LongFormatImporter.build(try LongFormatImporter.parseJSONLines(bytes, file: file), file: file, options: options, sourceName: "jsonl")
        case .puzzletron:
            library = try PuzzletronImporter.read(bytes, file: file, options: options)
        }
        library.sortLayers()
        return library
    }

    /// The native JSON text (deterministic, ends with a newline).
    public var nativeJSON: String { JSONWriter.string(NativeFormat.json(self)) + "\n" }

    /// Writes the native JSON to `path` atomically (temporary file, then rename); `-` is stdout.
    public func write(to path: String) throws(WriteError) {
        try FileIO.writeAtomically(nativeJSON, to: path)
    }
}
