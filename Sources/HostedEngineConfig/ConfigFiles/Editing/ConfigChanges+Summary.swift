extension ConfigChanges {
    /// `file: key: 'old' -> 'new'` per key (secrets masked), then a line per file that differs
    /// otherwise: what a restore or an upload shows before it writes.
    public var summaryLines: [String] {
        var lines = keyChanges.map { "\($0.member): \($0.label): \($0.shown($0.old)) -> \($0.shown($0.new))" }
        for change in memberChanges {
            lines.append(
                "\(change.member): \(change.kind == .missing ? "missing from the new archive" : "differs from line \(change.line) on")")
        }
        for member in changedMembers where !lines.contains(where: { $0.hasPrefix(member + ":") }) {
            lines.append("\(member): differs in comments or layout only")
        }
        return lines
    }
}
