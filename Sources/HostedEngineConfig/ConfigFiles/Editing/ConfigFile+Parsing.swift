extension ConfigFile {
    /// Reads `lines` again into entries, sections and unparsed lines, as the consumer reads them.
    mutating func reparse() {
        if !layoutIsFixed {
            let hasSections = lines.contains {
                IniScan.sectionName(PythonText.strip($0.text)) != nil && PythonText.indentation($0.text) == 0
            }
            layout = hasSections ? .ini : .flat
        }
        if layout == .ini {
            let scan = IniScan(lines: lines.map(\.text))
            entries = scan.options.map { option in
                Entry(
                    section: option.section, key: option.key, value: option.value, lineIndex: option.lineIndex,
                    continuationLines: option.continuationLines)
            }
            sections = scan.headers.map { ($0.name, $0.lineIndex) }
            unparsedLines = scan.unparsedLines
            return
        }
        // A flat file for editing: each line with an `=` is a key, `#` and `;` lines are comments,
        // no continuations (`AgentConfReading` is how the HA agent itself reads hosted-engine.conf).
        var entries: [Entry] = []
        var unparsed: [Int] = []
        for (index, line) in lines.enumerated() {
            let content = Self.stripped(line.text)
            if content.isEmpty || content.hasPrefix("#") || content.hasPrefix(";") { continue }
            if let (key, value) = Self.splitOption(content, layout: .flat) {
                entries.append(Entry(section: nil, key: key, value: value, lineIndex: index, continuationLines: []))
            } else {
                unparsed.append(index)
            }
        }
        self.entries = entries
        self.sections = []
        self.unparsedLines = unparsed
    }

    func requireSingle(_ found: [Entry], key: String, section: String?) throws {
        guard found.count > 1 else { return }
        throw HostedEngineError.configFileInvalid(
            file: name, line: Self.lineNumber(ofIndex: found[1].lineIndex),
            problem: .setMoreThanOnce(key: key, section: section, lines: found.map { Self.lineNumber(ofIndex: $0.lineIndex) }))
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
        let scalars = text.unicodeScalars
        guard let delimiter = scalars.firstIndex(where: { $0 == "=" || (layout == .ini && $0 == ":") }) else { return text }
        var end = scalars.index(after: delimiter)
        while end < scalars.endIndex, PythonText.isSpace(scalars[end]) { end = scalars.index(after: end) }
        return String(String.UnicodeScalarView(scalars[..<end]))
    }

    /// Python's `str.strip()`.
    static func stripped(_ text: String) -> String {
        PythonText.strip(text)
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
