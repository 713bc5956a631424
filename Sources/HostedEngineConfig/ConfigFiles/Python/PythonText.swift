/// Python 3's string rules where its readers of the configuration depend on them: what
/// `str.strip()` removes, what `str.lower()` makes of a key, and how a file opened in text mode
/// is split into lines (universal newlines: `\n`, `\r\n` and a lone `\r` all end a line).
/// Everything counts in Unicode scalars, as Python counts code points.
public enum PythonText {
    /// `str.isspace()`, which `str.strip()` and the regular expression `\s` both use.
    public static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// `str.strip()`.
    public static func strip<Text: StringProtocol>(_ text: Text) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// `str.rstrip()`.
    public static func rstrip<Text: StringProtocol>(_ text: Text) -> String {
        let scalars = text.unicodeScalars
        guard let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[...last]))
    }

    /// How many scalars come before the first one that is not a space (`re.search(r"\S")`).
    public static func indentation<Text: StringProtocol>(_ text: Text) -> Int {
        var count = 0
        for scalar in text.unicodeScalars {
            if !isSpace(scalar) { return count }
            count += 1
        }
        return count
    }

    /// `str.lower()`: Swift's full lowercase mapping, and Python's final sigma (a capital sigma
    /// that ends a word becomes `ς`).
    /// Python's `repr()` of a str, as `%r` puts it in a message: single quotes (double when the
    /// text holds a single quote and no double one), backslash escapes for the quote, `\\`,
    /// `\n`, `\r`, `\t`, and `\xNN`, `\uNNNN` or `\UNNNNNNNN` for what `str.isprintable()` rejects.
    public static func repr(_ text: String) -> String {
        let quote: Unicode.Scalar = text.unicodeScalars.contains("'") && !text.unicodeScalars.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case quote, "\\": out += "\\" + String(scalar)
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                guard isPrintable(scalar) else {
                    let hex = String(scalar.value, radix: 16)
                    let width = scalar.value < 0x100 ? 2 : scalar.value < 0x10000 ? 4 : 8
                    out += (width == 2 ? "\\x" : width == 4 ? "\\u" : "\\U") + String(repeating: "0", count: width - hex.count) + hex
                    continue
                }
                out.unicodeScalars.append(scalar)
            }
        }
        return out + String(quote)
    }

    /// `str.isprintable()` for one character: not a control, format, surrogate, private-use,
    /// unassigned or separator character, the space excepted.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator: return false
        default: return true
        }
    }

    public static func lower(_ text: String) -> String {
        guard text.unicodeScalars.contains("\u{03A3}") else { return text.lowercased() }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            guard scalar == "\u{03A3}" else {
                out.append(contentsOf: String(scalar).lowercased().unicodeScalars)
                continue
            }
            func isCased(after start: Int, step: Int) -> Bool {
                var position = start + step
                while position >= 0, position < scalars.count {
                    let properties = scalars[position].properties
                    if !properties.isCaseIgnorable { return properties.isCased }
                    position += step
                }
                return false
            }
            let final = isCased(after: index, step: -1) && !isCased(after: index, step: 1)
            out.append(final ? "\u{03C2}" : "\u{03C3}")
        }
        return String(out)
    }

    /// The lines of `text` as Python's text mode reads them: each line's text and the bytes that
    /// ended it (`\n`, `\r\n`, `\r`, or nothing for a last line without one), so that the file's
    /// bytes can be put back together exactly.
    public static func lines(_ text: String) -> [(text: String, terminator: String)] {
        var lines: [(text: String, terminator: String)] = []
        var current = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar {
            case "\n":
                lines.append((String(current), "\n"))
                current = String.UnicodeScalarView()
            case "\r":
                if pending == "\n" {
                    pending = scalars.next()
                    lines.append((String(current), "\r\n"))
                } else {
                    lines.append((String(current), "\r"))
                }
                current = String.UnicodeScalarView()
            default:
                current.append(scalar)
            }
        }
        if !current.isEmpty { lines.append((String(current), "")) }
        return lines
    }

    /// Whether two texts are the same code points (Swift's `==` also takes canonically
    /// equivalent texts as equal, Python does not).
    public static func same(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }

    /// A text as a dictionary key that tells canonically equivalent texts apart.
    static func key(_ text: String) -> [Unicode.Scalar] {
        Array(text.unicodeScalars)
    }

    /// The 1-based line of byte `offset`, lines ending as `lines` ends them.
    static func lineNumber(ofOffset offset: Int, in bytes: [UInt8]) -> Int {
        var line = 1
        var index = 0
        while index < min(offset, bytes.count) {
            if bytes[index] == 10 || (bytes[index] == 13 && (index + 1 >= bytes.count || bytes[index + 1] != 10)) { line += 1 }
            index += 1
        }
        return line
    }

    /// Python's text mode decodes a file in pieces of this many bytes.
    static let decodingChunk = 8192

    /// How many bytes of `bytes` (whose first invalid UTF-8 sequence starts at `start`) Python's
    /// text mode has decoded when it raises UnicodeDecodeError: every piece before the one in
    /// which the decoder finds the sequence invalid (or, for a sequence the file ends inside,
    /// everything before it).
    static func decodedBeforeFailure(_ bytes: [UInt8], invalidAt start: Int) -> Int {
        let lead = bytes[start]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xE1...0xEF: length = 3
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        case 0xF1...0xF3: length = 4
        default: length = 1
        }
        // The byte at which the sequence stops being the start of a valid one.
        var found = start
        if length > 1 {
            found += 1
            while found < bytes.count, found < start + length, (found == start + 1 ? second : 0x80...0xBF).contains(bytes[found]) {
                found += 1
            }
            if found == bytes.count { return start }
        }
        return found.roundedDown(toMultipleOf: decodingChunk)
    }
}
