/// `(` and what may follow it: groups, extensions, inline flags.
extension PythonRegex {
    static let flagLetters: Set<Unicode.Scalar> = ["i", "L", "m", "s", "x", "a", "t", "u"]

    /// The item a `(` starts; nil for what adds none (a comment, global flags).
    mutating func group(verbose: inout Bool, nested: Int, first: Bool, itemsSoFar: Int) throws(Failure) -> Item? {
        let start = tell - 1
        var capture = true
        var name: String?
        var added: Set<Unicode.Scalar> = []
        var removed: Set<Unicode.Scalar> = []
        if try match("?") {
            guard let char = try get() else { throw error("unexpected end of pattern") }
            switch char {
            case ["P"]:
                if try match("<") {
                    let groupName = try getUntil(">", name: "group name")
                    try checkGroupName(groupName, offset: 1)
                    name = String(String.UnicodeScalarView(groupName))
                } else if try match("=") {
                    let groupName = try getUntil(")", name: "group name")
                    try checkGroupName(groupName, offset: 1)
                    let text = String(String.UnicodeScalarView(groupName))
                    guard let group = groupNames[text] else {
                        throw error("unknown group name \(PythonText.repr(text))", offset: groupName.count + 1)
                    }
                    guard let width = groupWidths[group] else { throw error("cannot refer to an open group", offset: groupName.count + 1) }
                    try checkLookbehindGroup(group)
                    return .other(width)
                } else {
                    guard let other = try get() else { throw error("unexpected end of pattern") }
                    throw error("unknown extension ?P" + String(String.UnicodeScalarView(other)), offset: other.count + 2)
                }
            case [":"]:
                capture = false
            case ["#"]:
                while true {
                    guard next != nil else { throw error("missing ), unterminated comment", offset: tell - start) }
                    if try get() == [")"] { break }
                }
                return nil
            case ["="], ["!"], ["<"]:
                var behind = false
                let outer = lookbehindGroups
                if char == ["<"] {
                    guard let after = try get() else { throw error("unexpected end of pattern") }
                    guard after == ["="] || after == ["!"] else {
                        throw error("unknown extension ?<" + String(String.UnicodeScalarView(after)), offset: after.count + 2)
                    }
                    behind = true
                    if outer == nil { lookbehindGroups = groupWidths.count }
                }
                let width = try parseAlternatives(verbose: verbose, nested: nested + 1)
                if behind {
                    if outer == nil { lookbehindGroups = nil }
                    if width.lo != width.hi { firstVariableLookbehindAt = min(firstVariableLookbehindAt ?? Int.max, start) }
                }
                guard try match(")") else { throw error("missing ), unterminated subpattern", offset: tell - start) }
                return .assertion
            case ["("]:
                return try conditional(verbose: verbose, nested: nested, start: start)
            case [">"]:
                throw error(
                    "unknown extension ?> (atomic groups are new in Python 3.11; EL9's Python 3.9, which runs the broker, refuses them)",
                    offset: 2)
            default:
                guard char.count == 1, Self.flagLetters.contains(char[0]) || char == ["-"] else {
                    throw error("unknown extension ?" + String(String.UnicodeScalarView(char)), offset: char.count + 1)
                }
                guard let scoped = try inlineFlags(char[0]) else {
                    if !first || itemsSoFar > 0 { throw error("global flags not at the start of the expression", offset: tell - start) }
                    verbose = flags.contains("x")
                    return nil
                }
                (added, removed) = scoped
                capture = false
            }
        }
        var group: Int?
        if capture {
            group = groupWidths.count
            groupWidths.append(nil)
            if groupWidths.count > Self.maxGroups { throw error("too many groups") }
            if let name {
                if let old = groupNames[name] {
                    throw error(
                        "redefinition of group name \(PythonText.repr(name)) as group \(group!); was group \(old)",
                        offset: name.unicodeScalars.count + 1)
                }
                groupNames[name] = group
            }
        }
        let innerVerbose = (verbose || added.contains("x")) && !removed.contains("x")
        let width = try parseAlternatives(verbose: innerVerbose, nested: nested + 1)
        guard try match(")") else { throw error("missing ), unterminated subpattern", offset: tell - start) }
        if let group { groupWidths[group] = width }
        return .subpattern(capturing: group != nil, flags: !added.isEmpty || !removed.isEmpty, width: width)
    }

    /// `(?(group)yes|no)`.
    private mutating func conditional(verbose: Bool, nested: Int, start: Int) throws(Failure) -> Item {
        let condition = try getUntil(")", name: "group name")
        let text = String(String.UnicodeScalarView(condition))
        let group: Int
        if Self.isIdentifier(condition) {
            guard let named = groupNames[text] else {
                throw error("unknown group name \(PythonText.repr(text))", offset: condition.count + 1)
            }
            group = named
        } else {
            guard let number = Self.pythonInt(text), number >= 0 else {
                throw error("bad character in group name \(PythonText.repr(text))", offset: condition.count + 1)
            }
            if number == 0 { throw error("bad group number", offset: condition.count + 1) }
            if number >= Self.maxGroups { throw error("invalid group reference \(number)", offset: condition.count + 1) }
            if groupReferencePositions[number] == nil { groupReferencePositions[number] = tell - condition.count - 1 }
            group = number
        }
        try checkLookbehindGroup(group)
        let yes = try parseSequence(verbose: verbose, nested: nested + 1, first: false)
        var no: Width?
        if try match("|") {
            no = try parseSequence(verbose: verbose, nested: nested + 1, first: false)
            if next == ["|"] { throw error("conditional backref with more than two branches") }
        }
        guard try match(")") else { throw error("missing ), unterminated subpattern", offset: tell - start) }
        guard let no else { return .other(Width(lo: 0, hi: yes.hi)) }
        return .other(Width(lo: min(yes.lo, no.lo), hi: max(yes.hi, no.hi)))
    }

    /// `_parse_flags`: nil for global flags (`(?x)`), else the flags turned on and off.
    private mutating func inlineFlags(_ first: Unicode.Scalar) throws(Failure) -> (Set<Unicode.Scalar>, Set<Unicode.Scalar>)? {
        var char: [Unicode.Scalar]? = [first]
        var added: Set<Unicode.Scalar> = []
        var removed: Set<Unicode.Scalar> = []
        let typeFlags: Set<Unicode.Scalar> = ["a", "L", "u"]
        if first != "-" {
            while true {
                let flag = char![0]
                if flag == "L" { throw error("bad inline flags: cannot use 'L' flag with a str pattern") }
                added.insert(flag)
                if typeFlags.contains(flag), added.intersection(typeFlags).count > 1 {
                    throw error("bad inline flags: flags 'a', 'u' and 'L' are incompatible")
                }
                char = try get()
                guard let char else { throw error("missing -, : or )") }
                if char == [")"] || char == ["-"] || char == [":"] { break }
                guard char.count == 1, Self.flagLetters.contains(char[0]) else {
                    let letter = char.count == 1 && char[0].properties.isAlphabetic
                    throw error(letter ? "unknown flag" : "missing -, : or )", offset: char.count)
                }
            }
        }
        if char == [")"] {
            flags.formUnion(added)
            return nil
        }
        if added.contains("t") { throw error("bad inline flags: cannot turn on global flag", offset: 1) }
        if char == ["-"] {
            char = try get()
            guard let first = char else { throw error("missing flag") }
            guard first.count == 1, Self.flagLetters.contains(first[0]) else {
                let letter = first.count == 1 && first[0].properties.isAlphabetic
                throw error(letter ? "unknown flag" : "missing flag", offset: first.count)
            }
            while true {
                let flag = char![0]
                if typeFlags.contains(flag) { throw error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'") }
                removed.insert(flag)
                char = try get()
                guard let char else { throw error("missing :") }
                if char == [":"] { break }
                guard char.count == 1, Self.flagLetters.contains(char[0]) else {
                    let letter = char.count == 1 && char[0].properties.isAlphabetic
                    throw error(letter ? "unknown flag" : "missing :", offset: char.count)
                }
            }
        }
        if removed.contains("t") { throw error("bad inline flags: cannot turn off global flag", offset: 1) }
        if !added.isDisjoint(with: removed) { throw error("bad inline flags: flag turned on and off", offset: 1) }
        return (added, removed)
    }

    private mutating func checkGroupName(_ name: [Unicode.Scalar], offset: Int) throws(Failure) {
        guard Self.isIdentifier(name) else {
            throw error(
                "bad character in group name \(PythonText.repr(String(String.UnicodeScalarView(name))))", offset: name.count + offset)
        }
    }

    /// `str.isidentifier()`.
    static func isIdentifier(_ name: [Unicode.Scalar]) -> Bool {
        guard let first = name.first, first == "_" || first.properties.isXIDStart else { return false }
        return name.dropFirst().allSatisfy { $0.properties.isXIDContinue }
    }

    /// `int(text)`: spaces around, a sign, decimal digits of any script with single `_` between.
    static func pythonInt(_ text: String) -> Int? {
        var scalars = Array(text.unicodeScalars)
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        var negative = false
        if let sign = scalars.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            scalars.removeFirst()
        }
        guard let first = scalars.first, first != "_", scalars.last != "_" else { return nil }
        var value = 0
        var previousUnderscore = false
        for scalar in scalars {
            if scalar == "_" {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            guard scalar.properties.numericType == .decimal, let digit = scalar.properties.numericValue else { return nil }
            value = min(value * 10 + Int(digit), 1 << 40)
        }
        return negative ? -value : value
    }
}
