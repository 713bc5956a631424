/// A configuration file edited the way a person would: one line changes, every other byte
/// (comments, blank lines, spacing, order, line endings) stays as it was.
///
/// Two layouts are understood. INI, as Python's configparser reads it (broker.conf): sections,
/// `=` or `:` between key and value, keys compared without case, indented continuation lines,
/// `#` and `;` comments. Flat `key=value`, as the HA agent reads hosted-engine.conf and older
/// broker.conf files: every line with an `=` is a key.
public struct ConfigFile: Sendable, Equatable {
    public enum Layout: Sendable, Equatable {
        case ini, flat
    }

    /// One key's line (and its continuation lines) as found in the file.
    public struct Entry: Sendable, Equatable {
        /// The section it is in; nil before any section and in flat files.
        public let section: String?
        /// The key as written.
        public let key: String
        /// The value as the consumer reads it: stripped, continuation lines joined by newlines.
        public let value: String
        /// Index of the key's line (0-based).
        public let lineIndex: Int
        /// Indices of continuation lines that belong to the value.
        public let continuationLines: [Int]
    }

    struct Line: Sendable, Equatable {
        var text: String
        /// `"\n"`, `"\r\n"`, or empty for a last line without one.
        var terminator: String
    }

    /// The member name, for messages (`broker.conf`).
    public let name: String
    public private(set) var layout: Layout
    private(set) var lines: [Line]
    public private(set) var entries: [Entry] = []
    /// Section headers: name and line index, in file order.
    public private(set) var sections: [(name: String, lineIndex: Int)] = []
    /// Lines that are neither blank, comment, section, key nor continuation.
    public private(set) var unparsedLines: [Int] = []

    public static func == (lhs: ConfigFile, rhs: ConfigFile) -> Bool {
        lhs.name == rhs.name && lhs.lines == rhs.lines
    }

    /// Parses `bytes`, which must be UTF-8 text.
    public init(name: String, bytes: [UInt8]) throws {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = Self.firstInvalidUTF8Offset(bytes)
            let line = bytes[..<offset].reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            throw HostedEngineError.configFileInvalid(
                file: name, line: line,
                reason: "is not UTF-8 text (the byte at offset \(offset) cannot be decoded); save the file as UTF-8")
        }
        self.name = name
        self.lines = Self.splitLines(text)
        self.layout = .flat
        reparse()
    }

    /// The file's bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        for line in lines {
            out += line.text.utf8
            out += line.terminator.utf8
        }
        return out
    }

    /// The 1-based line number of a line index, for `FILE:LINE:` messages.
    public static func lineNumber(ofIndex index: Int) -> Int { index + 1 }

    /// Entries for `key` in `section` (INI) or anywhere (flat). In INI files keys are compared
    /// without case, as configparser does, and `[DEFAULT]` supplies keys a section lacks.
    public func entries(forKey key: String, section: String?) -> [Entry] {
        switch layout {
        case .flat:
            return entries.filter { $0.key == key }
        case .ini:
            let wanted = key.lowercased()
            let own = entries.filter { $0.section == section && $0.key.lowercased() == wanted }
            if own.isEmpty, section != "DEFAULT" {
                return entries.filter { $0.section == "DEFAULT" && $0.key.lowercased() == wanted }
            }
            return own
        }
    }

    /// The value of `key`, nil when the file does not set it. Throws when it is set more than
    /// once, which configparser refuses and which would make any edit ambiguous.
    public func value(forKey key: String, section: String?) throws -> String? {
        let found = entries(forKey: key, section: section)
        try requireSingle(found, key: key, section: section)
        return found.first?.value
    }

    /// Sets `key` to `value`, editing its line in place or adding it to `section`. Returns false
    /// when the file already says exactly that, and leaves the file untouched.
    @discardableResult
    public mutating func setValue(_ value: String, forKey key: String, section: String?) throws -> Bool {
        let found = entries(forKey: key, section: section).filter { layout == .flat || $0.section == section }
        try requireSingle(found, key: key, section: section)
        if let entry = found.first {
            if entry.value == value, entry.continuationLines.isEmpty { return false }
            var line = lines[entry.lineIndex]
            line.text = Self.valuePrefix(of: line.text, layout: layout) + value
            lines[entry.lineIndex] = line
            for index in entry.continuationLines.reversed() {
                lines.remove(at: index)
            }
        } else {
            insert(key: key, value: value, section: layout == .ini ? section : nil)
        }
        reparse()
        return true
    }

    // MARK: - Adding a key

    private mutating func insert(key: String, value: String, section: String?) {
        let separator = delimiterStyle(near: section)
        let newline = dominantTerminator
        let newLine = Line(text: key + separator + value, terminator: newline)
        if let section {
            if let header = sections.first(where: { $0.name == section }) {
                let nextHeader = sections.first { $0.lineIndex > header.lineIndex }?.lineIndex ?? lines.count
                let owned = entries.filter { $0.section == section && $0.lineIndex > header.lineIndex && $0.lineIndex < nextHeader }
                var after = owned.map { ($0.continuationLines.last ?? $0.lineIndex) }.max() ?? header.lineIndex
                // Indented lines that follow would read as continuations of the new key; go past them.
                var next = after + 1
                while next < nextHeader {
                    let content = Self.stripped(lines[next].text)
                    if content.isEmpty || content.hasPrefix("#") || content.hasPrefix(";") {
                        next += 1
                    } else if Self.indentation(of: lines[next].text) > 0 {
                        after = next
                        next += 1
                    } else {
                        break
                    }
                }
                terminateLine(at: after)
                lines.insert(newLine, at: after + 1)
                return
            }
            // The section does not exist yet: add it at the end, after a blank line.
            if let last = lines.indices.last {
                terminateLine(at: last)
                if !lines[last].text.allSatisfy(\.isWhitespace) {
                    lines.append(Line(text: "", terminator: newline))
                }
            }
            lines.append(Line(text: "[\(section)]", terminator: newline))
            lines.append(newLine)
            return
        }
        if let last = lines.indices.last { terminateLine(at: last) }
        lines.append(newLine)
    }

    private mutating func terminateLine(at index: Int) {
        if lines[index].terminator.isEmpty { lines[index].terminator = dominantTerminator }
    }

    private var dominantTerminator: String {
        lines.first { !$0.terminator.isEmpty }?.terminator ?? "\n"
    }

    /// What separates key and value on neighbouring lines (`=` or ` = `), so an added line looks
    /// like the others.
    private func delimiterStyle(near section: String?) -> String {
        let candidates = entries.filter { $0.section == section } + entries
        for entry in candidates {
            let prefix = Self.valuePrefix(of: lines[entry.lineIndex].text, layout: layout)
            guard let delimiter = prefix.firstIndex(where: Self.delimiters(for: layout).contains) else { continue }
            let spacesBefore = prefix[..<delimiter].reversed().prefix { $0 == " " || $0 == "\t" }
            return String(spacesBefore.reversed()) + String(prefix[delimiter...])
        }
        return "="
    }

    // MARK: - Parsing

    private mutating func reparse() {
        var entries: [Entry] = []
        var sections: [(name: String, lineIndex: Int)] = []
        var unparsed: [Int] = []
        var section: String?
        var open: (start: Int, indent: Int, key: String, values: [String], continuation: [Int], pendingBlank: Int)?
        let hasSections = lines.contains { Self.sectionName(in: Self.stripped($0.text)) != nil && Self.indentation(of: $0.text) == 0 }
        layout = hasSections ? .ini : .flat

        func close() {
            guard let current = open else { return }
            let value = current.values.joined(separator: "\n")
            entries.append(Entry(
                section: section, key: current.key, value: Self.stripTrailing(value), lineIndex: current.start,
                continuationLines: current.continuation))
            open = nil
        }

        for (index, line) in lines.enumerated() {
            let content = Self.stripped(line.text)
            if content.isEmpty {
                if open != nil { open!.pendingBlank += 1 }
                continue
            }
            if content.hasPrefix("#") || content.hasPrefix(";") {
                continue
            }
            let indent = Self.indentation(of: line.text)
            if layout == .ini, let current = open, indent > current.indent {
                open!.values += Array(repeating: "", count: current.pendingBlank) + [content]
                open!.pendingBlank = 0
                open!.continuation.append(index)
                continue
            }
            if layout == .ini, let name = Self.sectionName(in: content) {
                close()
                section = name
                sections.append((name, index))
                continue
            }
            if let (key, value) = Self.splitOption(content, layout: layout) {
                close()
                open = (index, indent, key, [value], [], 0)
                if layout == .flat { close() }
                continue
            }
            close()
            unparsed.append(index)
        }
        close()
        self.entries = entries
        self.sections = sections
        self.unparsedLines = unparsed
    }

    private func requireSingle(_ found: [Entry], key: String, section: String?) throws {
        guard found.count > 1 else { return }
        let numbers = found.map { String(Self.lineNumber(ofIndex: $0.lineIndex)) }.joined(separator: " and ")
        let place = section.map { " in [\($0)]" } ?? ""
        throw HostedEngineError.configFileInvalid(
            file: name, line: Self.lineNumber(ofIndex: found[1].lineIndex),
            reason: "\(key) is set more than once\(place) (lines \(numbers)); remove all but one")
    }

    static func delimiters(for layout: Layout) -> Set<Character> {
        layout == .ini ? ["=", ":"] : ["="]
    }

    /// `key`, `value` of an option line (already stripped), or nil when it is not one.
    static func splitOption(_ content: String, layout: Layout) -> (String, String)? {
        guard let delimiter = content.firstIndex(where: delimiters(for: layout).contains) else { return nil }
        let key = stripped(String(content[..<delimiter]))
        guard !key.isEmpty else { return nil }
        return (key, stripped(String(content[content.index(after: delimiter)...])))
    }

    /// The part of an option line up to where its value starts: indentation, key, delimiter and
    /// the spaces after it.
    static func valuePrefix(of text: String, layout: Layout) -> String {
        guard let delimiter = text.firstIndex(where: delimiters(for: layout).contains) else { return text }
        var end = text.index(after: delimiter)
        while end < text.endIndex, text[end] == " " || text[end] == "\t" { end = text.index(after: end) }
        return String(text[..<end])
    }

    static func sectionName(in content: String) -> String? {
        guard content.hasPrefix("["), let close = content.lastIndex(of: "]") else { return nil }
        let name = content[content.index(after: content.startIndex)..<close]
        return name.isEmpty ? nil : String(name)
    }

    static func isSpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\r" || character == "\u{0B}" || character == "\u{0C}"
    }

    static func stripped(_ text: String) -> String {
        String(stripTrailing(String(text.drop(while: isSpace))))
    }

    static func stripTrailing(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, isSpace(last) || last == "\n" { text = text.dropLast() }
        return String(text)
    }

    static func indentation(of text: String) -> Int {
        text.prefix { $0 == " " || $0 == "\t" }.count
    }

    static func splitLines(_ text: String) -> [Line] {
        var lines: [Line] = []
        var current = Substring(text)
        while let newline = current.utf8.firstIndex(of: 10) {
            var body = current[..<newline]
            var terminator = "\n"
            if body.utf8.last == 13 {
                body = body.dropLast()
                terminator = "\r\n"
            }
            lines.append(Line(text: String(body), terminator: terminator))
            current = current[current.utf8.index(after: newline)...]
        }
        if !current.isEmpty { lines.append(Line(text: String(current), terminator: "")) }
        return lines
    }

    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): offset += UTF8.width(scalar)
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}
