/// The types kept in this host's files (he_local: hosted-engine.conf,
/// ha: ha.conf), each read as the HA agent reads it and written by `LocalConfigFile`.
struct HostFileStore: ConfigStore {
    let rules: SetRules
    let locator: VolumeLocator

    /// The file of `type`, and the agent's reading of it.
    func read(_ type: ConfigType) throws -> (
        file: LocalConfigFile, contents: LocalConfigFile.Contents, reading: AgentConfReading
    ) {
        let file = locator.localConfigFile(type.hostFile!)
        let contents = try file.read()
        do throws(PythonConfigParser.Failure) {
            return (file, contents, try AgentConfReading(bytes: contents.bytes))
        } catch {
            throw HostedEngineError.agentCannotRead(error, file: file.path)
        }
    }

    func value(of resolution: SharedConfig.Resolution, userKey: String) throws -> String {
        let (file, _, reading) = try read(resolution.type)
        guard let value = reading.value(resolution.key.name) else {
            throw HostedEngineError.keyNotSet(key: userKey, file: file.path, fallback: nil)
        }
        return value
    }

    /// Each type's keys its file sets, then any other key it sets, in file order.
    func values(of types: [ConfigType]) throws -> [SharedConfig.TypeValues] {
        try types.map { type in
            SharedConfig.TypeValues(type: type, values: SharedConfig.values(of: type, in: try read(type).reading))
        }
    }

    /// Writes `bytes` to this host's `file` if it still holds `expected` (what was shown or
    /// edited), else exit 3; says when it takes effect. Returns the backup of what it replaced.
    static func replace(
        _ file: LocalConfigFile, expected: [UInt8], with bytes: [UInt8], type: ConfigType, action: String, locator: VolumeLocator,
        options: SharedConfig.WriteOptions
    ) throws -> [String] {
        let written = try file.update(
            backups: options.backups, lockTimeout: options.lockTimeout, now: options.modificationTime ?? TimeText.now(),
            checkpoint: locator.volumeSettings.localWriteCheckpoint
        ) { current in
            guard current.bytes == expected else { throw HostedEngineError.changedBySomebodyElse }
            return bytes
        }
        if written != nil {
            let name = type.fileName
            let changes = ConfigChanges(from: [name: expected], to: [name: bytes], memberOrder: [name], schema: .hostFile(of: type))
                .summaryLines
            options.audit(
                action, target: file.path, type: type.name, changes: changes, before: Checksum(of: expected), after: Checksum(of: bytes),
                locator: locator)
        }
        if let note = type.takesEffect { locator.volumeSettings.report(note) }
        return written.map { [$0.backup] } ?? []
    }

    /// Sets the key in this host's file: checked as the agent and the shell will read it,
    /// confirmed when its key needs it, and written under the file's lock. A file that changed
    /// since it was read is edited as it is now, unless the key itself changed.
    func set(_ resolution: SharedConfig.Resolution, to value: String, userKey: String, options: SharedConfig.WriteOptions) throws
        -> SharedConfig.SetOutcome
    {
        try set([SharedConfig.Assignment(resolution: resolution, value: value, userKey: userKey)], options: options)
    }

    /// Sets several keys of one of this host's files in one write (`SharedConfig` sees that
    /// they share the file).
    func set(_ assignments: [SharedConfig.Assignment], options: SharedConfig.WriteOptions) throws -> SharedConfig.SetOutcome {
        try self.rules.validate(assignments, force: options.force)
        let type = assignments[0].resolution.type
        let (file, contents, reading) = try read(type)
        if let expected = options.expectedValue, let only = assignments.first, assignments.count == 1 {
            let now = reading.value(only.resolution.key.name)
            if now != expected {
                let shown = { (value: String?) in DisplayText.quoted(value, secret: only.resolution.key.isSecret) }
                throw HostedEngineError.changedMeanwhile(
                    ["\(file.path) \(only.resolution.key.name) is now \(shown(now)), not \(shown(expected)) as read"])
            }
        }
        let name = type.fileName
        let rules = assignments.map(\.rule)
        guard let edit = try self.rules.editedFile(contents.bytes, name: name, setting: rules, force: options.force) else {
            return .unchanged
        }
        if options.dryRun { return assignments.count == 1 ? .wouldWrite(old: edit.olds[0]) : .wouldWriteEach(olds: edit.olds) }
        try self.rules.confirm(assignments, olds: edit.olds, place: { _ in "this host's \(file.path)" }, options: options)
        var newBytes = edit.bytes
        let written = try file.update(
            backups: options.backups, lockTimeout: options.lockTimeout, now: options.modificationTime ?? TimeText.now(),
            checkpoint: locator.volumeSettings.localWriteCheckpoint
        ) { current in
            if current.bytes == contents.bytes { return edit.bytes }
            guard let again = try self.rules.setAgain(rules, in: name, read: contents.bytes, now: current.bytes, force: options.force)
            else {
                return nil
            }
            newBytes = again.bytes
            return again.bytes
        }
        guard let written else { return .unchanged }
        // What was written, not the file read again.
        let changes = SetRules.changeLines(assignments, olds: edit.olds)
        options.audit(
            "set", target: file.path, type: type.name, changes: changes, before: written.before.checksum, after: Checksum(of: newBytes),
            locator: locator)
        return .written(backups: [written.backup], notes: edit.notes + [type.takesEffect].compactMap { $0 })
    }
}
