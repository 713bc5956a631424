/// Whether Python's `re` compiles a pattern, and if not, its error: the broker runs
/// `re.search(rule.lower(), "OldState-NewState".lower())` for `[notify]` rules. This follows
/// CPython's `re/_parser.py` and the checks of `re/_compiler.py`, function for function, without
/// building the program. It refuses too what Python 3.9 (EL9's, which runs the broker) cannot
/// read although 3.11 can: atomic groups and possessive quantifiers.
struct PythonRegex {
    static let maxRepeat = 4_294_967_295
    static let maxGroups = 1_073_741_823
    /// Deeper nesting than CPython's recursion limit allows (about 490) is refused early.
    static let maxDepth = 400

    struct Failure: Error {
        let message: String
        /// Position in the pattern, when Python's error gives one.
        let position: Int?

        var text: String { position.map { "\(message) at position \($0)" } ?? message }
    }

    /// What `re.compile(pattern)` raises, as its message says it; nil when it compiles.
    static func problem(in pattern: String) -> String? {
        var parser = PythonRegex(pattern)
        do {
            try parser.parseWhole()
            return nil
        } catch {
            // Python adds the line and column when the pattern has more than one line.
            guard let position = error.position, parser.scalars.contains("\n") else { return error.text }
            let before = parser.scalars.prefix(position)
            let line = before.filter { $0 == "\n" }.count + 1
            let column = position - (before.lastIndex(of: "\n") ?? -1)
            return "\(error.text) (line \(line), column \(column))"
        }
    }

    /// One item of a parsed sequence, as far as the checks need it.
    enum Item {
        case unit, at, assertion
        case repeating(Width)
        case subpattern(capturing: Bool, flags: Bool, width: Width)
        case other(Width)

        var width: Width {
            switch self {
            case .unit: return Width(lo: 1, hi: 1)
            case .at, .assertion: return Width(lo: 0, hi: 0)
            case let .repeating(width), let .other(width), let .subpattern(_, _, width): return width
            }
        }
    }

    /// A sequence's width, capped as `SubPattern.getwidth` caps it.
    struct Width: Equatable {
        var lo: Int
        var hi: Int

        static func of(_ items: [Item]) -> Width {
            var lo = 0
            var hi = 0
            for item in items {
                lo = saturated(lo, item.width.lo)
                hi = saturated(hi, item.width.hi)
            }
            return Width(lo: min(lo, maxRepeat - 1), hi: min(hi, maxRepeat))
        }

        static func saturated(_ a: Int, _ b: Int) -> Int { min(a &+ b, 1 << 62) }
        static func product(_ a: Int, _ b: Int) -> Int {
            let (value, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? 1 << 62 : min(value, 1 << 62)
        }
    }

    let scalars: [Unicode.Scalar]
    /// The tokenizer: `index` is past `next`, a character or a backslash and the one after it.
    var index = 0
    var next: [Unicode.Scalar]?

    var flags: Set<Unicode.Scalar> = []
    var groupNames: [String: Int] = [:]
    /// Group 0 and each group opened so far; nil while it is open.
    var groupWidths: [Width?] = [nil]
    var lookbehindGroups: Int?
    var groupReferencePositions: [Int: Int] = [:]
    /// Where the first repeat is, and the first look-behind of variable width: the compiler
    /// refuses whichever it reaches first (a repeat under the template flag; the width).
    var firstRepeatAt: Int?
    var firstVariableLookbehindAt: Int?

    init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    // MARK: - Tokenizer

    mutating func advance() throws(Failure) {
        guard index < scalars.count else {
            next = nil
            return
        }
        var token = [scalars[index]]
        if token[0] == "\\" {
            guard index + 1 < scalars.count else { throw Failure(message: "bad escape (end of pattern)", position: scalars.count - 1) }
            token.append(scalars[index + 1])
            index += 1
        }
        index += 1
        next = token
    }

    mutating func match(_ character: Unicode.Scalar) throws(Failure) -> Bool {
        guard next == [character] else { return false }
        try advance()
        return true
    }

    mutating func get() throws(Failure) -> [Unicode.Scalar]? {
        let this = next
        try advance()
        return this
    }

    var tell: Int { index - (next?.count ?? 0) }

    mutating func seek(_ position: Int) throws(Failure) {
        index = position
        try advance()
    }

    func error(_ message: String, offset: Int = 0) -> Failure {
        Failure(message: message, position: tell - offset)
    }

    func nextIs(in set: (Unicode.Scalar) -> Bool) -> Bool {
        guard let next, next.count == 1 else { return false }
        return set(next[0])
    }

    mutating func getWhile(_ count: Int, _ set: (Unicode.Scalar) -> Bool) throws(Failure) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for _ in 0..<count {
            guard nextIs(in: set) else { break }
            result += next!
            try advance()
        }
        return result
    }

    mutating func getUntil(_ terminator: Unicode.Scalar, name: String) throws(Failure) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        while true {
            let character = next
            try advance()
            guard let character else {
                if result.isEmpty { throw error("missing " + name) }
                throw error("missing \(terminator), unterminated name", offset: result.count)
            }
            if character == [terminator] {
                if result.isEmpty { throw error("missing " + name, offset: 1) }
                return result
            }
            result += character
        }
    }

    // MARK: - Whole pattern

    mutating func parseWhole() throws(Failure) {
        try advance()
        _ = try parseAlternatives(verbose: false, nested: 0)
        if flags.contains("a") && flags.contains("u") { throw Failure(message: "ASCII and UNICODE flags are incompatible", position: nil) }
        if next != nil { throw error("unbalanced parenthesis") }
        for (group, position) in groupReferencePositions.sorted(by: { $0.key < $1.key }) where group >= groupWidths.count {
            throw Failure(message: "invalid group reference \(group)", position: position)
        }
        // What the compiler refuses once the pattern parsed.
        let templateRepeatAt = flags.contains("t") ? firstRepeatAt : nil
        if let lookbehind = firstVariableLookbehindAt, lookbehind < (templateRepeatAt ?? Int.max) {
            throw Failure(message: "look-behind requires fixed-width pattern", position: nil)
        }
        if templateRepeatAt != nil { throw Failure(message: "internal: unsupported template operator MAX_REPEAT", position: nil) }
    }

    /// `_parse_sub`: alternatives separated by `|`; the width of the whole.
    mutating func parseAlternatives(verbose: Bool, nested: Int) throws(Failure) -> Width {
        guard nested <= Self.maxDepth else { throw Failure(message: "maximum recursion depth exceeded", position: nil) }
        var verbose = verbose
        var widths: [Width] = []
        while true {
            widths.append(try parseSequence(verbose: verbose, nested: nested + 1, first: nested == 0 && widths.isEmpty))
            if !(try match("|")) { break }
            if nested == 0 { verbose = flags.contains("x") }
        }
        guard widths.count > 1 else { return widths[0] }
        return Width(lo: widths.map(\.lo).min()!, hi: widths.map(\.hi).max()!)
    }
}
