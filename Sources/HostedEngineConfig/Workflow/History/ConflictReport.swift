/// What a conflict's message says of each key another writer changed: its value now, and who
/// changed it and when, from the shared history.
struct ConflictReport {
    let schema: Schema
    let volume: Volume

    /// One line per key (or file) that differs from `base` to `now`; `only`, when given, keeps
    /// the changes it accepts (the key a set was setting).
    func lines(from base: ConfigArchive, to now: ConfigArchive, only: ((ConfigChanges.KeyChange) -> Bool)? = nil) -> [String] {
        let changes = ConfigChanges(
            from: base.memberContents, to: now.memberContents, memberOrder: ConfigArchive.memberNames, schema: schema)
        let newer = versions(since: base.checksum)
        var lines: [String] = []
        for change in changes.keyChanges where only?(change) ?? true {
            lines.append("\(change.member) \(change.label) is now \(change.shown(change.new))\(who(change, in: newer))")
        }
        if only == nil {
            for change in changes.memberChanges {
                let type = schema.type(forMember: change.member)?.name ?? change.member
                lines.append("\(change.member) changed as a whole\(Self.who(newer.first { $0.keys.contains(type) }))")
            }
        }
        return lines
    }

    /// The line of a key that no longer holds the value the caller read (`--if-value`): its
    /// value now, and who changed it last, from the shared history.
    func line(changed resolution: SharedConfig.Resolution, now: String?, expected: String) -> String {
        let shown = { (value: String?) in DisplayText.quoted(value, secret: resolution.key.isSecret) }
        let name = "\(resolution.type.name):\(resolution.key.name)"
        let versions = (try? HistoryBrowser(schema: schema).listing(of: volume))?.versions ?? []
        return
            "\(resolution.type.fileName) \(resolution.key.qualifiedName) is now \(shown(now)), not \(shown(expected)) as read\(Self.who(versions.first { $0.keys.contains(name) }))"
    }

    /// The versions written after the one that holds `base`, newest first.
    func versions(since base: Checksum) -> [HistoryEntry] {
        let listing = try? HistoryBrowser(schema: schema).listing(of: volume)
        let since = listing?.versions.first { $0.checksum == base }?.sequence ?? 0
        return (listing?.versions ?? []).filter { $0.sequence > since }
    }

    /// Who changed `change`, from `versions` (newest first).
    func who(_ change: ConfigChanges.KeyChange, in versions: [HistoryEntry]) -> String {
        let name = HistoryRecorder.keys(change, schema: schema)
        return Self.who(versions.first { $0.keys.contains(name) })
    }

    /// The archive the volume held at `checksum`, when the shared history still keeps it.
    func archive(at checksum: Checksum) -> ConfigArchive? {
        let history = SharedHistory(volume: volume)
        guard let entry = try? history.list().entries.last(where: { $0.checksum == checksum }),
            let bytes = try? history.archive(of: entry)
        else { return nil }
        return try? ConfigArchive(bytes: bytes, origin: entry.id)
    }

    /// `, changed at TIME by USER on HOST with COMMAND (v17)`, or nothing when no version says.
    static func who(_ entry: HistoryEntry?) -> String {
        guard let entry else { return " (by a writer the shared history does not name)" }
        let user = entry.user.isEmpty ? "" : " by \(DisplayText.printable(entry.user))"
        return
            ", changed at \(TimeText.readable(entry.time))\(user) on \(entry.hostText) with \(DisplayText.printable(entry.command)) (\(entry.id))"
    }
}
