import Glibc

/// The rules of a set, wherever its key lives (the configuration archive, this host's files):
/// the file as its readers will read it after the change, the confirmation a key may need, and
/// what a set does when its file moved on since it was read. One implementation, used by every
/// store of keys.
struct SetRules: Sendable {
    let schema: Schema

    /// How the file named `member` (an archive member, or this host's file) is read by its own
    /// reader: the broker's configparser, the agent's, or key=value lines.
    func reader(of member: String, bytes: [UInt8]) throws -> (ConfigKey) throws -> String? {
        switch schema.reader(of: member) {
        case .keyValue:
            let file = try schema.file(member: member, bytes: bytes)
            return { key in try file.value(forKey: key.name, section: key.section) }
        case .haBroker:
            let reading = BrokerReading(bytes: bytes)
            return { key in
                do throws(PythonConfigParser.Failure) {
                    return try reading.value(of: key)?.value
                } catch {
                    throw HostedEngineError.brokerCannotRead(error, file: member)
                }
            }
        case .haAgent:
            let reading: AgentConfReading
            do {
                reading = try AgentConfReading(bytes: bytes)
            } catch {
                throw HostedEngineError.agentCannotRead(error, file: member)
            }
            return { key in reading.value(key.name) }
        }
    }

    /// A set that meets its file moved on since it was read (another writer, on this host or
    /// another): the one rule for every place a key lives. The change is made again on what is
    /// there now when the key reads the same there as it did (as the file's own reader reads it:
    /// the broker's configparser, the agent's), since the writer changed other keys only; when
    /// the key itself changed, it is a conflict (exit 3). Nil when what is there holds the value.
    func setAgain(_ resolution: SharedConfig.Resolution, to value: String, in name: String, read was: [UInt8], now: [UInt8], force: Bool)
        throws
        -> (bytes: [UInt8], notes: [String], old: String?)?
    {
        try setAgain([Assignment(resolution, value)], in: name, read: was, now: now, force: force)
            .map { ($0.bytes, $0.notes, $0.olds[0]) }
    }

    /// The same for several keys of one file, written together: a conflict when any of them
    /// changed.
    func setAgain(_ assignments: [Assignment], in name: String, read was: [UInt8], now: [UInt8], force: Bool) throws
        -> (bytes: [UInt8], notes: [String], olds: [String?])?
    {
        // Another writer that set the same values leaves nothing to do, and no conflict.
        guard let edit = try editedFile(now, name: name, setting: assignments, force: force) else { return nil }
        for assignment in assignments {
            // nil: unreadable, as a set that repairs the file finds it.
            let readBefore: String?? = try? reader(of: name, bytes: was)(assignment.resolution.key)
            let readNow: String?? = try? reader(of: name, bytes: now)(assignment.resolution.key)
            guard readNow == readBefore else { throw HostedEngineError.changedBySomebodyElse }
        }
        return edit
    }

    /// One key and the value a set gives it.
    struct Assignment {
        let resolution: SharedConfig.Resolution
        let value: String

        init(_ resolution: SharedConfig.Resolution, _ value: String) {
            self.resolution = resolution
            self.value = value
        }
    }

    /// `bytes` (the file `name` of `resolution`'s type) with the key set to `value`; see
    /// `editedFile(_:name:setting:force:)` for several keys.
    func editedFile(_ before: [UInt8], name: String, setting resolution: SharedConfig.Resolution, to value: String, force: Bool = false)
        throws -> (
            bytes: [UInt8], notes: [String], old: String?
        )?
    {
        try editedFile(before, name: name, setting: [Assignment(resolution, value)], force: force).map { ($0.bytes, $0.notes, $0.olds[0]) }
    }

    /// `bytes` (the file `name`) with every key set to its value, checked as its reader will
    /// read it with all of them set (`BrokerReading.verify`, `AgentConfReading.verify` with its
    /// rules across keys, and for hosted-engine.conf the shell that sources it and the agent's
    /// storage connection); nil when it already holds them all. `olds`: each key's value before.
    /// A set on a broker.conf the broker cannot read goes ahead only when it is what repairs it.
    /// With `force`, an iscsi_paths_blacklist value goes ahead though the shell reads its `<>`
    /// as redirections, with a warning of what that does.
    func editedFile(_ before: [UInt8], name: String, setting assignments: [Assignment], force: Bool = false)
        throws -> (bytes: [UInt8], notes: [String], olds: [String?])?
    {
        guard let first = assignments.first else { return nil }
        var file = try schema.file(member: name, bytes: before)
        let reader = schema.reader(of: name)
        var olds: [String?] = []
        var changed: [Assignment] = []
        for assignment in assignments {
            let key = assignment.resolution.key
            olds.append(try? file.value(forKey: key.name, section: key.section))
            if try file.setValue(assignment.value, forKey: key.name, section: key.section) { changed.append(assignment) }
        }
        guard !changed.isEmpty else {
            if reader == .haBroker, let failure = BrokerReading(bytes: before).failure(reading: first.resolution.type.keys) {
                throw HostedEngineError.brokerCannotRead(failure, file: name, outcome: .nothingWritten)
            }
            return nil
        }
        var notes: [String] = []
        var forcedLines: [String] = []
        switch reader {
        case .haBroker:
            notes = try BrokerReading.verify(
                old: before, new: file.bytes, changed: changed.map { ($0.resolution.key, $0.value) }, keys: first.resolution.type.keys,
                file: name)
        case .haAgent:
            let type = first.resolution.type
            try AgentConfReading.verify(
                old: before, new: file.bytes, changed: changed.map { ($0.resolution.key.name, $0.value) }, file: name,
                isSecret: { name in
                    schema.isSecret(member: type.fileName, key: name) || type.keys.contains { $0.isSecret && $0.name == name }
                })
            for assignment in changed where type.isSourcedByShell {
                let key = assignment.resolution.key
                guard let problem = ShellAssignment.problem(key: key.name, value: assignment.value) else { continue }
                let redirections = key.rule == .pathsBlacklist ? ShellAssignment.redirections(in: assignment.value) : nil
                guard let redirections, force else {
                    let way = redirections == nil ? "no value of this form can be written" : "pass --force to write it anyway"
                    throw HostedEngineError.invalidValue(key: key.name, value: assignment.value, rule: problem + "; " + way)
                }
                forcedLines.append(key.name + "=")
                notes.append(
                    "WARNING: upstream's hosted-engine command sources hosted-engine.conf as a shell script: it will read \(key.name) as '\(DisplayText.printable(redirections.value))' and, each time it runs, create \(redirections.files.count == 1 ? "an empty file" : "empty files") named \(redirections.files.map { "'\(DisplayText.printable($0))'" }.joined(separator: ", ")) in the folder it is run from (each '<>' opens one); the HA agent reads the whole value."
                )
            }
            if type.isSourcedByShell, let text = String(validating: file.bytes, as: UTF8.self) {
                // Lines the shell cannot take that the change did not make: said, not refused.
                let lines = PythonText.lines(text)
                // The lines --force just wrote were warned about above.
                notes += ShellAssignment.unreadableLines(text).filter { found in
                    !forcedLines.contains { lines[found.line - 1].text.hasPrefix($0) }
                }.map {
                    "WARNING: \(name):\($0.line): upstream's hosted-engine command sources this file as a shell script, and \($0.why); fix that line by hand."
                }
            }
            if let reading = try? AgentConfReading(bytes: file.bytes) {
                for assignment in changed {
                    let key = assignment.resolution.key
                    if let problem = StorageConnectionCheck.problem(in: reading, changedKey: key.name) {
                        throw HostedEngineError.invalidValue(
                            key: key.name, value: assignment.value, rule: problem + "; nothing was written")
                    }
                }
            }
        case .keyValue:
            break
        }
        return (file.bytes, notes, olds)
    }

    /// Every value against its key's rule, before anything is read.
    func validate(_ assignments: [SharedConfig.Assignment], force: Bool) throws {
        for assignment in assignments {
            try assignment.resolution.key.rule.validate(assignment.value, key: assignment.userKey, force: force)
        }
    }

    /// Each key that needs it confirmed (see `confirm(_:old:new:place:options:)`); `olds` in
    /// the order of `assignments`; `place` says where a key's file is.
    func confirm(
        _ assignments: [SharedConfig.Assignment], olds: [String?], place: (SharedConfig.Resolution) -> String,
        options: SharedConfig.WriteOptions
    ) throws {
        for (assignment, old) in zip(assignments, olds) {
            try confirm(assignment.resolution, old: old, new: assignment.value, place: place(assignment.resolution), options: options)
        }
    }

    /// The audit trail's lines for the keys a set changed, secrets masked.
    static func changeLines(_ assignments: [SharedConfig.Assignment], olds: [String?]) -> [String] {
        zip(assignments, olds).filter { $0.1 != $0.0.value }.map { $0.0.resolution.changeLine(old: $0.1, new: $0.0.value) }
    }

    /// Asks before a change whose key needs it (a storage connection or identity key): on a
    /// terminal, else `--force` stands for the answer. An identity key is asked about even with
    /// `--force` when there is a terminal.
    func confirm(_ resolution: SharedConfig.Resolution, old: String?, new: String, place: String, options: SharedConfig.WriteOptions) throws
    {
        guard let what = resolution.key.confirmation else { return }
        let isIdentity = !resolution.key.rule.isEditable
        if options.force, !isIdentity || options.confirm == nil { return }
        guard let ask = options.confirm else { throw HostedEngineError.confirmationNeeded(key: resolution.key.name, what: what) }
        let shown = { (value: String?) in DisplayText.quoted(value, secret: resolution.key.isSecret) }
        let text = "Setting \(resolution.key.name) in \(place) \(what):\n  \(resolution.key.name): \(shown(old)) -> \(shown(new))"
        guard ask(text) else { throw HostedEngineError.notConfirmed }
    }
}
