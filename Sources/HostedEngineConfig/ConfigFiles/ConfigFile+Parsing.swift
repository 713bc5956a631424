extension ConfigFile {
    /// Reads `lines` again into entries, sections and unparsed lines, as the consumer reads them.
    mutating func reparse() {
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
            entries.append(
                Entry(
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

    func requireSingle(_ found: [Entry], key: String, section: String?) throws {
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
