/// `_escape` and `_class_escape`: what a backslash may start, outside a set and inside one.
extension PythonRegex {
    static let literalEscapes: Set<Unicode.Scalar> = ["a", "b", "f", "n", "r", "t", "v", "\\"]
    static let classCategories: Set<Unicode.Scalar> = ["d", "D", "s", "S", "w", "W"]

    /// Outside a set.
    mutating func escape(_ escape: [Unicode.Scalar]) throws(Failure) -> Item {
        let character = escape[1]
        if ["A", "b", "B", "Z"].contains(character) { return .at }
        if Self.classCategories.contains(character) || Self.literalEscapes.contains(character) { return .unit }
        if try numericValue(escape) != nil { return .unit }
        if character == "0" {
            _ = try getWhile(2, Self.isOctal)
            return .unit
        }
        if Self.isDigit(character) {
            var digits = [character]
            if nextIs(in: Self.isDigit) {
                digits += try get()!
                if Self.isOctal(digits[0]), Self.isOctal(digits[1]), nextIs(in: Self.isOctal) {
                    digits += try get()!
                    if Self.number(digits, radix: 8) > 0o377 {
                        throw error("octal escape value \\\(String(String.UnicodeScalarView(digits))) outside of range 0-0o377", offset: 4)
                    }
                    return .unit
                }
            }
            let group = Self.number(digits)!
            guard group < groupWidths.count else { throw error("invalid group reference \(group)", offset: digits.count) }
            guard let width = groupWidths[group] else { throw error("cannot refer to an open group", offset: digits.count + 1) }
            try checkLookbehindGroup(group)
            return .other(width)
        }
        return try plainEscape(escape)
    }

    /// Inside a set: the literal it stands for, or nil for a category (`\d`).
    mutating func classEscape(_ escape: [Unicode.Scalar]) throws(Failure) -> Unicode.Scalar? {
        let character = escape[1]
        let literals: [Unicode.Scalar: Unicode.Scalar] = [
            "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}", "n": "\n", "r": "\r", "t": "\t", "v": "\u{0B}", "\\": "\\",
        ]
        if let literal = literals[character] { return literal }
        if Self.classCategories.contains(character) { return nil }
        if let value = try numericValue(escape) { return value }
        if Self.isOctal(character) {
            let digits = [character] + (try getWhile(2, Self.isOctal))
            let value = Self.number(digits, radix: 8)
            if value > 0o377 {
                throw error(
                    "octal escape value \\\(String(String.UnicodeScalarView(digits))) outside of range 0-0o377", offset: digits.count + 1)
            }
            return Unicode.Scalar(value)
        }
        if Self.isDigit(character) { throw error("bad escape \\\(character)", offset: 2) }
        _ = try plainEscape(escape)
        return character
    }

    /// `\xhh`, `\uhhhh`, `\Uhhhhhhhh`, `\N{NAME}`: the character, or nil for another escape.
    private mutating func numericValue(_ escape: [Unicode.Scalar]) throws(Failure) -> Unicode.Scalar? {
        let lengths: [Unicode.Scalar: Int] = ["x": 2, "u": 4, "U": 8]
        if let length = lengths[escape[1]] {
            let digits = try getWhile(length, Self.isHex)
            let shown = "\\" + String(escape[1]) + String(String.UnicodeScalarView(digits))
            guard digits.count == length else { throw error("incomplete escape \(shown)", offset: digits.count + 2) }
            let value = Self.number(digits, radix: 16)
            guard let scalar = Unicode.Scalar(value) else {
                // A surrogate is a character to Python; one past U+10FFFF is not.
                if (0xD800...0xDFFF).contains(value) { return "\u{FFFD}" }
                throw error("bad escape \(shown)", offset: digits.count + 2)
            }
            return scalar
        }
        guard escape[1] == "N" else { return nil }
        guard try match("{") else { throw error("missing {") }
        let name = try getUntil("}", name: "character name")
        let wanted = String(String.UnicodeScalarView(name)).uppercased()
        if let found = Self.scalar(named: wanted) { return found }
        throw error("undefined character name \(PythonText.repr(String(String.UnicodeScalarView(name))))", offset: name.count + 4)
    }

    /// `\` and a character that is none of the above: itself, unless an ASCII letter.
    private func plainEscape(_ escape: [Unicode.Scalar]) throws(Failure) -> Item {
        if Self.isASCIILetter(escape[1]) { throw error("bad escape \\\(escape[1])", offset: 2) }
        return .unit
    }

    static func number(_ digits: [Unicode.Scalar], radix: Int) -> Int {
        digits.reduce(0) { $0 * radix + Int(String($1), radix: radix)! }
    }

    /// `unicodedata.lookup`: a character's name or its alias.
    static func scalar(named name: String) -> Unicode.Scalar? {
        for value in 0...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if scalar.properties.name == name || scalar.properties.nameAlias == name { return scalar }
        }
        return nil
    }

    mutating func checkLookbehindGroup(_ group: Int) throws(Failure) {
        guard let lookbehindGroups else { return }
        guard group < groupWidths.count, groupWidths[group] != nil else { throw error("cannot refer to an open group") }
        if group >= lookbehindGroups { throw error("cannot refer to group defined in the same lookbehind subpattern") }
    }
}
