/// The lines of an INI file classified exactly as Python 3's `ConfigParser()` reads them with
/// its defaults (`=` and `:` delimiters, `#` and `;` comments on their own line only, blank
/// lines kept in values, continuation lines indented deeper than the line that began the
/// option, keys made lowercase, `[DEFAULT]`), and carried on past the errors it would raise, so
/// that an editor can still find every line and a validator every problem.
struct IniScan {
    struct Header: Equatable {
        let name: String
        let lineIndex: Int
    }

    struct Option: Equatable {
        /// The section it is in; nil before any section header.
        let section: String?
        /// The key as written.
        let key: String
        /// The key as configparser files it (`str.lower()`).
        let name: String
        /// The first line's value, then each continuation line's (blank lines as empty texts),
        /// stripped; configparser joins them with newlines and strips the end.
        let parts: [String]
        let lineIndex: Int
        /// Continuation lines, blank lines inside the value included.
        let continuationLines: [Int]

        var value: String { PythonText.rstrip(parts.joined(separator: "\n")) }
    }

    /// What configparser raises while it reads, in the order it meets them.
    enum Error: Equatable {
        /// An option, or any other line, before the first section header (it stops there).
        case missingSectionHeader(lineIndex: Int)
        /// A section named a second time (it stops there).
        case duplicateSection(name: String, lineIndex: Int, firstLineIndex: Int)
        /// An option set a second time in one section (it stops there).
        case duplicateOption(section: String, name: String, lineIndex: Int, firstLineIndex: Int)
        /// Lines that are neither blank, comment, header, option nor continuation, and options
        /// with no name: reported together once the whole file is read.
        case parsing(lineIndices: [Int])
    }

    private(set) var headers: [Header] = []
    private(set) var options: [Option] = []
    /// Lines configparser reports in a ParsingError.
    private(set) var unparsedLines: [Int] = []
    /// Every error configparser would raise, in line order; it raises the first.
    private(set) var errors: [Error] = []

    init(lines: [String]) {
        var section: String?
        var inSection = false
        var seenSections: [[Unicode.Scalar]: Int] = [:]
        var seenOptions: [[Unicode.Scalar]: Int] = [:]
        var indentLevel = 0
        // The option being read: its index in `options`, and blank lines not yet known to be
        // inside its value (they are, if a continuation line follows).
        var current: Int?
        var pendingParts: [String] = []
        var pendingLines: [Int] = []

        func extend(_ part: String, at index: Int) {
            guard let open = current else { return }
            let option = options[open]
            options[open] = Option(
                section: option.section, key: option.key, name: option.name, parts: option.parts + pendingParts + [part],
                lineIndex: option.lineIndex, continuationLines: option.continuationLines + pendingLines + [index])
            pendingParts = []
            pendingLines = []
        }
        func record(_ error: Error) { errors.append(error) }

        for (index, line) in lines.enumerated() {
            let stripped = PythonText.strip(line)
            if let first = stripped.unicodeScalars.first, first == "#" || first == ";" { continue }
            if stripped.isEmpty {
                // A blank line belongs to the value if the value goes on after it.
                if current != nil {
                    pendingParts.append("")
                    pendingLines.append(index)
                }
                continue
            }
            let indent = PythonText.indentation(line)
            if inSection, current != nil, indent > indentLevel {
                extend(stripped, at: index)
                continue
            }
            indentLevel = indent
            if let name = Self.sectionName(stripped) {
                pendingParts = []
                pendingLines = []
                if !PythonText.same(name, "DEFAULT") {
                    if let first = seenSections[PythonText.key(name)] {
                        record(.duplicateSection(name: name, lineIndex: index, firstLineIndex: first))
                    } else {
                        seenSections[PythonText.key(name)] = index
                    }
                }
                section = name
                inSection = true
                headers.append(Header(name: name, lineIndex: index))
                current = nil
                continue
            }
            if !inSection { record(.missingSectionHeader(lineIndex: index)) }
            guard let (key, value) = Self.splitOption(stripped) else {
                // The option before it still takes continuation lines, as in configparser.
                unparsedLines.append(index)
                continue
            }
            pendingParts = []
            pendingLines = []
            if key.isEmpty { unparsedLines.append(index) }
            let name = PythonText.lower(key)
            let identity = PythonText.key((section ?? "") + "\u{0}" + name)
            if let first = seenOptions[identity], inSection {
                record(.duplicateOption(section: section ?? "", name: name, lineIndex: index, firstLineIndex: first))
            } else {
                seenOptions[identity] = index
            }
            options.append(Option(section: section, key: key, name: name, parts: [value], lineIndex: index, continuationLines: []))
            // configparser does not carry an option with no name on to continuation lines.
            current = key.isEmpty ? nil : options.count - 1
        }
        if !unparsedLines.isEmpty { errors.append(.parsing(lineIndices: unparsedLines)) }
        errors.sort { $0.firstLine < $1.firstLine }
    }

    /// The error configparser raises: the first that stops it, else the parsing errors.
    var raised: Error? {
        errors.first { $0.isRaisedAtOnce } ?? errors.first
    }

    /// `[name]`: from the first `[` to the last `]` of a stripped line, at least one character
    /// between (configparser's `\[(?P<header>.+)\]`, matched at the start and greedy).
    static func sectionName(_ stripped: String) -> String? {
        let scalars = stripped.unicodeScalars
        guard scalars.first == "[", let close = scalars.lastIndex(of: "]"), close > scalars.index(after: scalars.startIndex) else {
            return nil
        }
        return String(String.UnicodeScalarView(scalars[scalars.index(after: scalars.startIndex)..<close]))
    }

    /// Key and value of an option line (stripped): split at the first `=` or `:`, the key's
    /// trailing spaces and the value's leading ones dropped (configparser's OPTCRE).
    static func splitOption(_ stripped: String) -> (key: String, value: String)? {
        let scalars = stripped.unicodeScalars
        guard let delimiter = scalars.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return nil }
        let key = PythonText.rstrip(String(String.UnicodeScalarView(scalars[..<delimiter])))
        let value = PythonText.strip(String(String.UnicodeScalarView(scalars[scalars.index(after: delimiter)...])))
        return (key, value)
    }
}

extension IniScan.Error {
    /// configparser raises it where it meets it, not once the whole file is read.
    var isRaisedAtOnce: Bool {
        if case .parsing = self { return false }
        return true
    }

    /// The line where configparser raises it (for a parsing error, the first bad line).
    var firstLine: Int {
        switch self {
        case let .missingSectionHeader(line), let .duplicateSection(_, line, _), let .duplicateOption(_, _, line, _): return line
        case let .parsing(lines): return lines.first ?? 0
        }
    }
}
