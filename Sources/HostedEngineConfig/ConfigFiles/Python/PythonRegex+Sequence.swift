/// `_parse`: one alternative, item by item.
extension PythonRegex {
    static let special: Set<Unicode.Scalar> = [".", "\\", "[", "{", "(", ")", "*", "+", "?", "^", "$", "|"]
    static let whitespace: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
    static func isOctal(_ scalar: Unicode.Scalar) -> Bool { ("0"..."7").contains(scalar) }
    static func isHex(_ scalar: Unicode.Scalar) -> Bool { isDigit(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar) }
    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }

    mutating func parseSequence(verbose: Bool, nested: Int, first: Bool) throws(Failure) -> Width {
        var verbose = verbose
        var items: [Item] = []
        // Where each item starts: the compiler meets a repeat where the item it repeats starts.
        var starts: [Int] = []
        while let this = next, this != ["|"], this != [")"] {
            let start = tell
            defer { starts += Array(repeating: start, count: max(0, items.count - starts.count)) }
            try advance()
            if verbose {
                if this.count == 1, Self.whitespace.contains(this[0]) { continue }
                if this == ["#"] {
                    while let skipped = try get(), skipped != ["\n"] {}
                    continue
                }
            }
            if this[0] == "\\" {
                items.append(try escape(this))
            } else if this.count == 1, !Self.special.contains(this[0]) {
                items.append(.unit)
            } else if this == ["["] {
                items.append(try characterSet())
            } else if ["*", "+", "?", "{"].contains(this[0]) {
                try quantifier(this[0], items: &items, itemStart: starts.last)
            } else if this == ["."] {
                items.append(.unit)
            } else if this == ["("] {
                if let item = try group(verbose: &verbose, nested: nested, first: first, itemsSoFar: items.count) { items.append(item) }
            } else {
                items.append(.at)  // ^ and $
            }
        }
        return Width.of(items)
    }

    /// `*`, `+`, `?` or `{m,n}` after the last item; a `{` that is not a repeat is a literal.
    mutating func quantifier(_ this: Unicode.Scalar, items: inout [Item], itemStart: Int?) throws(Failure) {
        let here = tell
        var low = 0
        var high = Self.maxRepeat
        switch this {
        case "?": high = 1
        case "+": low = 1
        case "*": break
        default:
            if next == ["}"] {
                items.append(.unit)
                return
            }
            var lowDigits: [Unicode.Scalar] = []
            var highDigits: [Unicode.Scalar] = []
            while nextIs(in: Self.isDigit) { lowDigits += try get()! }
            if try match(",") {
                while nextIs(in: Self.isDigit) { highDigits += try get()! }
            } else {
                highDigits = lowDigits
            }
            guard try match("}") else {
                items.append(.unit)
                try seek(here)
                return
            }
            if !lowDigits.isEmpty {
                guard let value = Self.number(lowDigits), value < Self.maxRepeat else {
                    throw Failure(message: "the repetition number is too large", position: nil)
                }
                low = value
            }
            if !highDigits.isEmpty {
                guard let value = Self.number(highDigits), value < Self.maxRepeat else {
                    throw Failure(message: "the repetition number is too large", position: nil)
                }
                high = value
                if high < low { throw error("min repeat greater than max repeat", offset: tell - here) }
            }
        }
        guard let last = items.last, !isAt(last) else { throw error("nothing to repeat", offset: tell - here + 1) }
        if case .repeating = last { throw error("multiple repeat", offset: tell - here + 1) }
        if next == ["+"] {
            throw error(
                "multiple repeat (possessive quantifiers are new in Python 3.11; EL9's Python 3.9, which runs the broker, refuses them)")
        }
        _ = try match("?")
        // The compiler walks the pattern outside in: it meets this repeat where its item starts.
        firstRepeatAt = min(firstRepeatAt ?? Int.max, itemStart ?? tell)
        let width = last.width
        items[items.count - 1] = .repeating(
            Width(lo: min(Width.product(width.lo, low), 1 << 62), hi: min(Width.product(width.hi, high), 1 << 62)))
    }

    private func isAt(_ item: Item) -> Bool {
        if case .at = item { return true }
        return false
    }

    static func number(_ digits: [Unicode.Scalar]) -> Int? {
        var value = 0
        for digit in digits {
            value = value * 10 + Int(digit.value - 48)
            if value > 1 << 40 { return nil }
        }
        return value
    }

    /// `[...]`: a set, its ranges and class escapes checked.
    mutating func characterSet() throws(Failure) -> Item {
        let here = tell - 1
        _ = try match("^")
        var count = 0
        while true {
            guard let this = try get() else { throw error("unterminated character set", offset: tell - here) }
            if this == ["]"], count > 0 { break }
            let low: Unicode.Scalar? = this[0] == "\\" ? try classEscape(this) : this[0]
            if try match("-") {
                guard let that = try get() else { throw error("unterminated character set", offset: tell - here) }
                if that == ["]"] {
                    count += 2
                    break
                }
                let high: Unicode.Scalar? = that[0] == "\\" ? try classEscape(that) : that[0]
                let shown = String(String.UnicodeScalarView(this)) + "-" + String(String.UnicodeScalarView(that))
                guard let low, let high, low.value <= high.value else {
                    throw error("bad character range \(shown)", offset: this.count + 1 + that.count)
                }
            }
            count += 1
        }
        return .unit
    }
}
