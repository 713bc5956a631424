/// A unified diff of two texts, as `diff -u` prints it.
public enum UnifiedDiff {
    /// The hunks turning `old` into `new`, with `context` unchanged lines around each change,
    /// under `--- oldName` / `+++ newName` headers; empty when the texts are equal.
    /// `display` rewrites each line as printed (to hide secrets) without changing what differs.
    public static func diff(
        old: String, new: String, oldName: String, newName: String, context: Int = 3,
        display: (String) -> String = { $0 }
    ) -> String {
        if old == new { return "" }
        let oldLines = lines(of: old)
        let newLines = lines(of: new)
        let difference = newLines.difference(from: oldLines)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in difference {
            switch change {
            case let .remove(offset, _, _): removed.insert(offset)
            case let .insert(offset, _, _): inserted.insert(offset)
            }
        }

        // One operation per output line, each with its position in both texts.
        struct Operation {
            let mark: Character
            let text: String
            let oldIndex: Int
            let newIndex: Int
        }
        var operations: [Operation] = []
        var oldIndex = 0
        var newIndex = 0
        while oldIndex < oldLines.count || newIndex < newLines.count {
            if oldIndex < oldLines.count, removed.contains(oldIndex) {
                operations.append(Operation(mark: "-", text: oldLines[oldIndex], oldIndex: oldIndex, newIndex: newIndex))
                oldIndex += 1
            } else if newIndex < newLines.count, inserted.contains(newIndex) {
                operations.append(Operation(mark: "+", text: newLines[newIndex], oldIndex: oldIndex, newIndex: newIndex))
                newIndex += 1
            } else {
                operations.append(Operation(mark: " ", text: oldLines[oldIndex], oldIndex: oldIndex, newIndex: newIndex))
                oldIndex += 1
                newIndex += 1
            }
        }

        // Group changes into hunks whose context overlaps.
        let changed = operations.indices.filter { operations[$0].mark != " " }
        var hunks: [ClosedRange<Int>] = []
        for index in changed {
            let start = max(0, index - context)
            let end = min(operations.count - 1, index + context)
            if let last = hunks.last, start <= last.upperBound + 1 {
                hunks[hunks.count - 1] = last.lowerBound...end
            } else {
                hunks.append(start...end)
            }
        }

        var out = "--- \(oldName)\n+++ \(newName)\n"
        for hunk in hunks {
            let slice = operations[hunk]
            let oldCount = slice.filter { $0.mark != "+" }.count
            let newCount = slice.filter { $0.mark != "-" }.count
            let first = slice.first!
            let oldStart = oldCount == 0 ? first.oldIndex : first.oldIndex + 1
            let newStart = newCount == 0 ? first.newIndex : first.newIndex + 1
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
            for operation in slice {
                if operation.text.hasSuffix(noFinalNewline) {
                    out += "\(operation.mark)\(display(String(operation.text.dropLast())))\n\\ No newline at end of file\n"
                } else {
                    out += "\(operation.mark)\(display(operation.text))\n"
                }
            }
        }
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(start),\(count)"
    }

    /// Marks a last line that has no newline, so that it differs from the same text with one.
    private static let noFinalNewline = "\u{FFFF}"

    private static func lines(of text: String) -> [String] {
        if text.isEmpty { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if text.hasSuffix("\n") {
            lines.removeLast()
        } else {
            lines[lines.count - 1] += noFinalNewline
        }
        return lines
    }
}
