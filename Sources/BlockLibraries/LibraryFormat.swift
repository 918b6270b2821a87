import ModelArchitecture
import Foundation
import PuzzleCore

/// The formats `BlockLibrary.load` reads.
public enum LibraryFormat: String, Sendable, CaseIterable {
    /// Detect from the path and content (see `detect`).
    case auto
    /// This toolkit's JSON (`"format": "puzzle-block-library"`).
    case native
    /// NVlabs/puzzle `block_library.json` (`{"layer_0": {"<variant>": {"stats", "metrics"}}}`).
    case nvlabs
    /// `layer,subblock,variant,metric,value` rows.
    case csv
    /// The same five fields as JSON lines.
    case jsonl
    /// Hand-written records in puzzletron's block-config spelling (JSON array or lines).
    case records
    /// A Model-Optimizer puzzletron run directory (`puzzle_dir`), or one of its top-level files.
    case puzzletron

    /// Detection from content: a JSON object with `"format": "puzzle-block-library"` is native;
    /// one whose first key is `layer_N` holding an object is NVlabs; a JSON array whose first
    /// element looks like a puzzletron run file (`child_block_configs`, `block_config`,
    /// `attention_config`, `args`) is puzzletron; other JSON arrays, and JSON lines whose first
    /// record has `attention`/`ffn` objects, are records; JSON lines with `metric` are jsonl;
    /// anything else is CSV. (A directory is a puzzletron run; `BlockLibrary.load` checks that.)
    public static func detect(_ bytes: [UInt8]) -> LibraryFormat {
        guard let first = bytes.first(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }) else { return .csv }
        if first == UInt8(ascii: "[") {
            if let whole = try? JSONParser.parse(bytes), let element = whole.arrayValue?.first?.objectValue,
                ["child_block_configs", "block_config", "attention_config", "args"].contains(where: { element[$0] != nil })
            {
                return .puzzletron
            }
            return .records
        }
        guard first == UInt8(ascii: "{") else { return .csv }
        if let whole = try? JSONParser.parse(bytes) {
            if whole["format"] != nil { return .native }
            if NVlabsImporter.looksLikeNVlabs(whole) { return .nvlabs }
        }
        // JSON lines: look at the first line.
        let line = bytes.split(separator: UInt8(ascii: "\n")).first { !$0.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 } }
        if let line, let record = try? JSONParser.parse(Array(line)) {
            if record["attention"]?.objectValue != nil || record["ffn"]?.objectValue != nil { return .records }
            if record["format"] != nil { return .native }
            if record["metric"] != nil || record["layer"] != nil || record["subblock"] != nil { return .jsonl }
        }
        return .native
    }
}

/// A library with where it came from: the name to show and the SHA-256 of what was read (the
/// file's bytes; for a puzzletron run, of every file read, each as its relative path, a zero
/// byte, its length in decimal, a zero byte and its bytes, in reading order).
public struct LoadedLibrary: Sendable {
    public var library: BlockLibrary
    public var file: String
    public var sha256: String
}

extension BlockLibrary {
    /// Loads a library from `path` (`-` for stdin; a directory is a puzzletron run) in `format`,
    /// then validates it fully (`validate(file:complete:)`). Errors name the file and where in it.
    public static func load(_ path: String, format: LibraryFormat = .auto, options: ImportOptions = ImportOptions(),
        complete: Bool = true) throws -> BlockLibrary
    {
        try loadWithDigest(path, format: format, options: options, complete: complete).library
    }

    /// `load`, also returning the display name and the SHA-256 of what was read.
    public static func loadWithDigest(_ path: String, format: LibraryFormat = .auto, options: ImportOptions = ImportOptions(),
        complete: Bool = true) throws -> LoadedLibrary
    {
        let file = FileIO.displayName(path)
        var isDirectory: ObjCBool = false
        let existsAsDirectory = path != "-" && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        func run(_ directory: String) throws -> LoadedLibrary {
            var digest: [UInt8] = []
            var library = try PuzzletronRun.read(directory: directory, options: options, digest: &digest)
            library.sortLayers()
            try library.validate(file: directory, complete: complete)
            return LoadedLibrary(library: library, file: directory, sha256: SHA256.hex(digest))
        }
        if existsAsDirectory {
            guard format == .auto || format == .puzzletron else {
                throw DataError(file: file, "is a directory; only a puzzletron run (format puzzletron) is read from a directory")
            }
            guard let directory = PuzzletronRun.runDirectory(for: path) else {
                throw DataError(file: file, "is not a puzzletron run directory: expected replacement_library.json, subblock_stats.json or \(PuzzletronRun.validationDirectory)/ in it")
            }
            return try run(directory)
        }
        let bytes = try FileIO.read(path)
        guard bytes.contains(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }) else {
            throw DataError(file: file, "is empty; expected a block library (native JSON, NVlabs JSON, CSV, JSON lines, records or a puzzletron run)")
        }
        // One of a run's top-level files stands for the run.
        if format == .puzzletron || (format == .auto && LibraryFormat.detect(bytes) == .puzzletron) {
            if let directory = PuzzletronRun.runDirectory(for: path) { return try run(directory) }
            throw DataError(file: file, LibraryFormat.detect(bytes) == .records
                ? "is a list of records, not a puzzletron run; read it with format records"
                : "is a puzzletron file outside a run directory; pass the run directory (its puzzle_dir)")
        }
        let library = try parse(bytes, file: file, path: path, format: format, options: options)
        try library.validate(file: file, complete: complete)
        return LoadedLibrary(library: library, file: file, sha256: SHA256.hex(bytes))
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
        case .records:
            library = try RecordsImporter.read(bytes, file: file, options: options)
        case .puzzletron:
            throw DataError(file: file, "a puzzletron run is a directory; load it with BlockLibrary.load(path)")
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
