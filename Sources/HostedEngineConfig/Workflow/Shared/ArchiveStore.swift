import Glibc

/// The types kept in the configuration archive on the shared volume (broker, he_shared): read
/// from the archive as their readers read them, set with a compare-and-swap.
struct ArchiveStore: ConfigStore {
    let rules: SetRules
    let locator: VolumeLocator

    func value(of resolution: SharedConfig.Resolution, userKey: String) throws -> String {
        let archive = try ConfigArchive.load(from: try locator.openConfigurationVolume(forWriting: false))
        return try value(of: resolution, in: archive, userKey: userKey)
    }

    func values(of types: [ConfigType]) throws -> [SharedConfig.TypeValues] {
        try allValues(of: types, in: ConfigArchive.load(from: try locator.openConfigurationVolume(forWriting: false)))
    }

    /// Sets the key in its member of the archive, with a compare-and-swap against the archive
    /// it was read from (made again on what is there when only other keys changed).
    func set(_ resolution: SharedConfig.Resolution, to value: String, userKey: String, options: SharedConfig.WriteOptions) throws
        -> SharedConfig.SetOutcome
    {
        try resolution.key.rule.validate(value, key: userKey, force: options.force)
        let volume = try locator.openConfigurationVolume(forWriting: true)
        let base = try ConfigArchive.load(from: volume, lockTimeout: options.lockTimeout)
        guard let edit = try edited(base, setting: resolution, to: value, options: options) else {
            return .unchanged
        }
        if options.dryRun { return .wouldWrite(old: edit.old) }
        try rules.confirm(resolution, old: edit.old, new: value, place: resolution.type.fileDescription, options: options)
        var before = base.checksum
        let swap = CompareAndSwap.configuration(volume: volume, options: options, schema: rules.schema, locator: locator)
        let swapped: (backup: String, written: [UInt8])?
        do {
            swapped = try swap.replace(base: base, with: edit.bytes) { moved in
                before = moved.checksum
                guard let member = resolution.type.member, let was = base.contents(of: member), let now = moved.contents(of: member) else {
                    throw HostedEngineError.changedBySomebodyElse
                }
                guard let again = try rules.setAgain(resolution, to: value, in: member, read: was, now: now, force: options.force) else {
                    return nil
                }
                return try moved.replacing(
                    member: member, with: again.bytes, modificationTime: options.modificationTime ?? Int64(time(nil)),
                    allowLargeArchive: options.allowLargeArchive)
            }
        } catch HostedEngineError.changedBySomebodyElse {
            throw conflict(since: base, on: volume, setting: resolution)
        }
        guard let swapped else { return .unchanged }
        options.audit(
            "set", target: volume.path, type: resolution.type.name, changes: [resolution.changeLine(old: edit.old, new: value)],
            before: before, after: Checksum(of: swapped.written), locator: locator)
        return .written(backups: [swapped.backup], notes: edit.notes + [resolution.type.takesEffect].compactMap { $0 })
    }

    /// The conflict, naming the key's value now and who changed it (every change, when the key
    /// itself did not).
    private func conflict(since base: ConfigArchive, on volume: Volume, setting resolution: SharedConfig.Resolution)
        -> HostedEngineError
    {
        guard let now = try? ConfigArchive.load(from: volume) else { return .changedBySomebodyElse }
        let report = ConflictReport(schema: rules.schema, volume: volume)
        var lines = report.lines(from: base, to: now) { change in
            change.member == resolution.type.member && change.editable?.name == resolution.key.name
        }
        if lines.isEmpty { lines = report.lines(from: base, to: now) }
        return lines.isEmpty ? .changedBySomebodyElse : .changedMeanwhile(lines)
    }

    // MARK: - On an archive

    func file(of type: ConfigType, in archive: ConfigArchive) throws -> ConfigFile {
        guard let member = type.member, let bytes = archive.contents(of: member) else {
            throw HostedEngineError.archiveInvalid(path: archive.origin, problem: .lacksMember(type.member ?? type.name))
        }
        return try rules.schema.file(member: member, bytes: bytes)
    }

    /// The value of a resolved key, as its reader reads it (broker.conf as the HA broker does,
    /// interpolated). `userKey` is how the user named it, for the message when the file does
    /// not set it.
    func value(of resolution: SharedConfig.Resolution, in archive: ConfigArchive, userKey: String) throws -> String {
        guard let value = try reader(of: resolution.type, in: archive)(resolution.key) else {
            throw HostedEngineError.keyNotSet(
                key: userKey, file: resolution.type.member ?? resolution.type.name, fallback: resolution.key.brokerDefault)
        }
        return value
    }

    /// Every editable key each selected type's file sets, as its reader reads it; for
    /// hosted-engine.conf, every key it sets.
    func allValues(of types: [ConfigType], in archive: ConfigArchive) throws -> [SharedConfig.TypeValues] {
        try types.map { type in
            if type.isSourcedByShell, let member = type.member, let bytes = archive.contents(of: member) {
                let reading: AgentConfReading
                do throws(PythonConfigParser.Failure) {
                    reading = try AgentConfReading(bytes: bytes)
                } catch {
                    throw HostedEngineError.agentCannotRead(error, file: member)
                }
                return SharedConfig.TypeValues(type: type, values: SharedConfig.values(of: type, in: reading))
            }
            let read = try reader(of: type, in: archive)
            let values = try type.keys.compactMap { key in try read(key).map { (key: key, value: $0) } }
            return SharedConfig.TypeValues(type: type, values: values)
        }
    }

    /// `type`'s file, parsed once by its reader: what that reader reads for a key (nil when the
    /// file does not set it).
    private func reader(of type: ConfigType, in archive: ConfigArchive) throws -> (ConfigKey) throws -> String? {
        guard let member = type.member, let bytes = archive.contents(of: member) else {
            throw HostedEngineError.archiveInvalid(path: archive.origin, problem: .lacksMember(type.member ?? type.name))
        }
        return try rules.reader(of: member, bytes: bytes)
    }

    /// The archive with the key set to `value`, or nil when it already holds that value.
    func archive(
        _ archive: ConfigArchive, setting resolution: SharedConfig.Resolution, to value: String, options: SharedConfig.WriteOptions
    ) throws -> [UInt8]? {
        try edited(archive, setting: resolution, to: value, options: options)?.bytes
    }

    /// The same, checked as the file's reader will read it, with the lines that check has to
    /// say and the value it replaces.
    func edited(
        _ archive: ConfigArchive, setting resolution: SharedConfig.Resolution, to value: String, options: SharedConfig.WriteOptions
    ) throws -> (bytes: [UInt8], notes: [String], old: String?)? {
        guard let member = resolution.type.member, let bytes = archive.contents(of: member) else {
            throw HostedEngineError.archiveInvalid(path: archive.origin, problem: .lacksMember(resolution.type.fileName))
        }
        guard let edit = try rules.editedFile(bytes, name: member, setting: resolution, to: value, force: options.force) else { return nil }
        let archiveBytes = try archive.replacing(
            member: member, with: edit.bytes, modificationTime: options.modificationTime ?? Int64(time(nil)),
            allowLargeArchive: options.allowLargeArchive)
        return (archiveBytes, edit.notes, edit.old)
    }
}
