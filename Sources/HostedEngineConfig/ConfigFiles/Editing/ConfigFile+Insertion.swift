extension ConfigFile {
    /// Adds `key` with `value`: after the last line of `section` (a new section at the end when
    /// there is none yet), or at the end of a flat file, in the style of the lines around it.
    mutating func insert(key: String, value: String, section: String?) {
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
                    let first = PythonText.strip(lines[next].text).unicodeScalars.first
                    if first == nil || first == "#" || first == ";" {
                        next += 1
                    } else if PythonText.indentation(lines[next].text) > 0 {
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
}
