import Knapsack
import PuzzleCore

/// The `puzzle solve` JSON format (see docs/solver.md): reading problems and writing answers.
enum ProblemJSON {
    /// A problem plus the requests that go with it in the file.
    struct Request {
        var problem: Problem
        var diversity: (solutions: Int, minDifferent: Int)?
        var timeLimitSeconds: Double?
        var sweep: (row: Int, max: [Double])?
    }

    static let topLevelKeys: Set<String> = ["sense", "groups", "rows", "diversity", "pins", "forbidden", "timeLimitSeconds", "sweep", "name"]

    /// Reads one problem object.
    static func request(_ r: JSONReader) throws(DataError) -> Request {
        let object = try r.object
        for key in object.keys where !topLevelKeys.contains(key) {
            throw DataError(file: r.file, location: r.child(key),
                "unknown field (expected one of \(topLevelKeys.sorted().joined(separator: ", ")))")
        }
        var sense = Problem.Sense.minimize
        if let s = try r.optional("sense") {
            guard let v = Problem.Sense(rawValue: try s.string) else { throw s.fail("expected \"minimize\" or \"maximize\"") }
            sense = v
        }
        var rows: [Problem.Row] = []
        for row in try r.required("rows").array {
            let name = try row.required("name").string
            let max = try row.optional("max").map { (x: JSONReader) throws(DataError) in try x.double } ?? .infinity
            let min = try row.optional("min").map { (x: JSONReader) throws(DataError) in try x.double }
            if let min, min > max { throw row.fail("min \(JSONWriter.number(min)) is greater than max \(JSONWriter.number(max))") }
            rows.append(Problem.Row(name: name, max: max, min: min))
        }
        var groups: [Problem.Group] = []
        let groupsReader = try r.required("groups")
        let groupReaders = try groupsReader.array
        if groupReaders.isEmpty { throw groupsReader.fail("expected at least one group") }
        for gr in groupReaders {
            let name = try gr.required("name").string
            let itemsReader = try gr.required("items")
            let itemReaders = try itemsReader.array
            if itemReaders.isEmpty { throw itemsReader.fail("group '\(name)' has no items") }
            var items: [Problem.Item] = []
            for ir in itemReaders {
                let itemName = try ir.optional("name").map { (x: JSONReader) throws(DataError) in try x.string } ?? String(items.count)
                let value = try ir.required("value").double
                let wr = try ir.required("weights")
                let weights = try wr.array.map { (x: JSONReader) throws(DataError) in try x.double }
                if weights.count != rows.count {
                    throw wr.fail("expected \(rows.count) weights (one per row), found \(weights.count)")
                }
                items.append(Problem.Item(name: itemName, value: value, weights: weights))
            }
            groups.append(Problem.Group(name: name, items: items))
        }
        var problem = Problem(sense: sense, groups: groups, rows: rows)
        problem.pins = try choices(r.optional("pins"), groups: groups)
        problem.forbidden = try choices(r.optional("forbidden"), groups: groups)
        var request = Request(problem: problem)
        if let d = try r.optional("diversity") {
            let n = try d.required("solutions").int(in: 1...1000)
            let md = try d.required("minDifferent").int(in: 0...groups.count)
            request.diversity = (n, md)
        }
        if let t = try r.optional("timeLimitSeconds") {
            let v = try t.double
            guard v > 0 else { throw t.fail("expected a positive number of seconds") }
            request.timeLimitSeconds = Swift.min(v, Budgets.maxTimeLimitSeconds)
        }
        if let s = try r.optional("sweep") {
            let rowReader = try s.required("row")
            let rowName = try rowReader.string
            guard let index = rows.firstIndex(where: { $0.name == rowName }) else {
                throw rowReader.fail("no row named '\(rowName)'")
            }
            let values = try s.required("max").array.map { (x: JSONReader) throws(DataError) in try x.double }
            request.sweep = (index, values)
        }
        if request.sweep != nil && request.diversity != nil {
            throw r.fail("\"sweep\" and \"diversity\" cannot be combined")
        }
        return request
    }

    /// `[{"group": NAME|INDEX, "item": NAME|INDEX}]` into index pairs.
    static func choices(_ reader: JSONReader?, groups: [Problem.Group]) throws(DataError) -> [Problem.Choice] {
        guard let reader else { return [] }
        var out: [Problem.Choice] = []
        for p in try reader.array {
            let gr = try p.required("group")
            let g: Int
            if let name = gr.value.stringValue {
                guard let i = groups.firstIndex(where: { $0.name == name }) else { throw gr.fail("no group named '\(name)'") }
                g = i
            } else {
                g = try gr.int
                guard g >= 0 && g < groups.count else { throw gr.fail("group index \(g) out of range 0..<\(groups.count)") }
            }
            let ir = try p.required("item")
            let i: Int
            if let name = ir.value.stringValue {
                guard let k = groups[g].items.firstIndex(where: { $0.name == name }) else {
                    throw ir.fail("group '\(groups[g].name)' has no item named '\(name)'")
                }
                i = k
            } else {
                i = try ir.int
                guard i >= 0 && i < groups[g].items.count else { throw ir.fail("item index \(i) out of range 0..<\(groups[g].items.count)") }
            }
            out.append(Problem.Choice(group: g, item: i))
        }
        return out
    }

    /// The documented answer object of one solution.
    static func json(_ s: Solution, problem: Problem, timing: Bool = true) -> JSONValue {
        var o = JSONObject()
        o["status"] = .string(s.status == .unknown ? "unknown" : s.status.rawValue)
        o["objective"] = .number(s.objective)
        o["bound"] = .number(s.bound)
        o["gap"] = .number(s.gap)
        o["choices"] = .array(s.choices.map { .number($0) })
        o["choiceNames"] = .array(s.choices.enumerated().map { .string(problem.groups[$0.offset].items[$0.element].name) })
        var sums = JSONObject()
        for (r, v) in s.rowSums.enumerated() { sums[problem.rows[r].name] = .number(v) }
        o["rowSums"] = .object(sums)
        o["nodes"] = .number(s.nodes)
        if timing { o["seconds"] = .number(s.seconds) }
        if !s.rootBound.isNaN { o["rootBound"] = .number(s.rootBound) }
        if let why = s.infeasibility {
            o["infeasibleRow"] = .optional(why.rowName)
            if why.isMinimum {
                o["greatestAchievable"] = why.achievable.map { JSONValue.number($0) } ?? .null
            } else {
                o["leastAchievable"] = why.achievable.map { JSONValue.number($0) } ?? .null
            }
            o["message"] = .string(why.message)
        }
        return .object(o)
    }
}
