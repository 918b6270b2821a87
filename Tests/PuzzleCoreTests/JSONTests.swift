import Testing

@testable import PuzzleCore

@Suite struct JSONTests {
    @Test func parsesAndKeepsOrderAndNumberKinds() throws {
        let v = try JSONParser.parse(#"{"b": 1, "a": 1.0, "c": [true, null, "x\n\u00e9"], "d": -2.5e-3}"#)
        let o = try #require(v.objectValue)
        #expect(o.keys == ["b", "a", "c", "d"])
        #expect(o["b"] == .int(1))
        #expect(o["a"] == .double(1.0))
        #expect(o["c"] == [true, nil, "x\né"])
        #expect(o["d"]?.doubleValue == -0.0025)
    }

    @Test func writerRoundTrips() throws {
        let text = #"{"x": 500000.0, "y": 1e-05, "z": [1, 2], "w": {"k": "v\"q"}, "n": null, "big": 253401268224}"#
        let v = try JSONParser.parse(text)
        #expect(try JSONParser.parse(JSONWriter.string(v)) == v)
        #expect(try JSONParser.parse(JSONWriter.string(v, pretty: false)) == v)
        #expect(JSONWriter.number(5.25) == "5.25")
        #expect(JSONWriter.number(500000) == "500000.0")
        #expect(JSONWriter.number(.nan) == "null")
    }

    @Test(arguments: [
        ("{\"a\": 1", "truncated"), ("[1, 2,", "truncated"), ("{\"a\" 1}", "expected ':'"),
        ("{\"a\": 1} x", "after the JSON value"), ("[01]", "leading zeros"), ("{\"a\": NaN}", "NaN"),
        ("{\"a\": 1, \"a\": 2}", "duplicate key"), ("\"abc", "unterminated"),
    ])
    func syntaxErrors(text: String, fragment: String) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.line == 1)
        }
    }

    @Test func errorLineAndColumn() {
        do {
            _ = try JSONParser.parse("{\n  \"a\": 1,\n  \"b\": tru\n}")
            Issue.record("accepted")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 8)
        }
    }

    @Test func readerNamesFieldPaths() throws {
        let r = try JSONReader.parse(Array(#"{"layers": [{"size": "big"}]}"#.utf8), file: "f.json")
        let layer = try r.required("layers").array[0]
        do {
            _ = try layer.required("size").int
            Issue.record("accepted")
        } catch {
            #expect(error.description == "f.json: layers[0].size: expected an integer, found \"big\"")
        }
        do {
            _ = try layer.required("other")
            Issue.record("accepted")
        } catch {
            #expect(error.description == "f.json: layers[0].other: missing required field")
        }
    }

    @Test func units() {
        #expect(Units.bytes("80GiB") == .value(Double(80 * 1_073_741_824)))
        #expect(Units.bytes("80GB") == .value(80e9))
        #expect(Units.bytes("512 MiB") == .value(Double(512 * 1_048_576)))
        #expect(Units.bytes("80gib") == .value(Double(80 * 1_073_741_824)), "units are case-insensitive")
        #expect(Units.seconds("40ms") == .value(0.04))
        #expect(Units.seconds("40MS") == .value(0.04))
        #expect(Units.seconds("2s") == .value(2))
        #expect(Units.seconds("150us") == .value(150e-6))
        #expect(Units.count("52B") == .value(52e9))
        #expect(Units.count("52b") == .value(52e9))
        #expect(Units.bytes("lots") == .invalid)
        #expect(Units.bytes("80") == .missingUnit(80), "a bare number has no unit")
        #expect(Units.seconds("40") == .missingUnit(40))
        #expect(Units.bytes("1e308TiB") == .invalid, "overflow to infinity is not a value")
        #expect(Units.bytes("nanGiB") == .invalid)
        #expect(Units.seconds("inf s") == .invalid)
    }

    @Test func cleanAndCSVNumbers() {
        #expect(Format.clean(1.2000000000000002) == 1.2)
        #expect(Format.clean(0.1 + 0.2) == 0.3)
        #expect(Format.clean(2.2) == 2.2)
        #expect(Format.csv(4096) == "4096")
        #expect(Format.csv(0.41894) == "0.41894")
        #expect(accurateSum([0.1, 0.2, 0.3]) == 0.6)
        #expect(0.1 + 0.2 + 0.3 != 0.6, "the naive sum is off by one ulp")
    }

    @Test func excerpts() {
        #expect(Excerpt.quoted("abc") == "\"abc\"")
        let long = String(repeating: "x", count: 100)
        #expect(Excerpt.quoted(long).hasPrefix("\"xxxx"))
        #expect(Excerpt.quoted(long).hasSuffix("(100 characters)"))
        #expect(!Excerpt.quoted("a\nb").contains("\n"), "control characters are escaped")
    }

    @Test func formatting() {
        #expect(Format.grouped(70_553_706_496) == "70,553,706,496")
        #expect(Format.fixed(2.175, 2) == "2.18" || Format.fixed(2.175, 2) == "2.17")
        #expect(Format.fixed(-0.5, 1) == "-0.5")
        #expect(Format.fixed(1234.5678, 0) == "1235")
    }
}

@Suite struct SHA256Tests {
    /// FIPS 180-4 test vectors.
    @Test func vectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000)).count == 64)
    }
}
