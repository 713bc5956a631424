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
        try set([SharedConfig.Assignment(resolution: resolution, value: value, userKey: userKey)], options: options)
    }

    /// Sets every key (of broker.conf and hosted-engine.conf alike) in one write of the archive:
    /// each file checked with all its keys set, then one compare-and-swap, one backup, one
    /// version in the history.
    func set(_ assignments: [SharedConfig.Assignment], options: SharedConfig.WriteOptions) throws -> SharedConfig.SetOutcome {
        try rules.validate(assignments, force: options.force)
        let volume = try locator.openConfigurationVolume(forWriting: true)
        let base = try ConfigArchive.load(from: volume, lockTimeout: options.lockTimeout)
        if let expected = options.expectedValue, let only = assignments.first, assignments.count == 1 {
            let now = (try? reader(of: only.resolution.type, in: base)(only.resolution.key)) ?? nil
            if now != expected {
                throw HostedEngineError.changedMeanwhile(
                    [ConflictReport(schema: rules.schema, volume: volume).line(changed: only.resolution, now: now, expected: expected)])
            }
        }
        guard let edit = try edited(base, setting: assignments, options: options) else { return .unchanged }
        if options.dryRun { return assignments.count == 1 ? .wouldWrite(old: edit.olds[0]) : .wouldWriteEach(olds: edit.olds) }
        try rules.confirm(assignments, olds: edit.olds, place: \.type.fileDescription, options: options)
        var before = base.checksum
        let swap = CompareAndSwap.configuration(volume: volume, options: options, schema: rules.schema, locator: locator)
        let swapped: (backup: String, written: [UInt8])?
        do {
            swapped = try swap.replace(base: base, with: edit.bytes) { moved in
                before = moved.checksum
                var replacements: [(member: String, contents: [UInt8])] = []
                for (member, group) in Self.byMember(assignments) {
                    guard let was = base.contents(of: member), let now = moved.contents(of: member) else {
                        throw HostedEngineError.changedBySomebodyElse
                    }
                    if let again = try rules.setAgain(group.map(\.rule), in: member, read: was, now: now, force: options.force) {
                        replacements.append((member, again.bytes))
                    }
                }
                if replacements.isEmpty { return nil }
                return try moved.replacing(
                    replacements, modificationTime: options.modificationTime ?? Int64(time(nil)),
                    allowLargeArchive: options.allowLargeArchive)
            }
        } catch HostedEngineError.changedBySomebodyElse {
            throw conflict(since: base, on: volume, setting: assignments.map(\.resolution))
        }
        guard let swapped else { return .unchanged }
        let changes = SetRules.changeLines(assignments, olds: edit.olds)
        options.audit(
            "set", target: volume.path, type: Self.typeNames(assignments), changes: changes, before: before,
            after: Checksum(of: swapped.written), locator: locator)
        return .written(backups: [swapped.backup], notes: edit.notes + Self.takesEffect(assignments))
    }

    /// The assignments grouped by archive member, in the order first named.
    static func byMember(_ assignments: [SharedConfig.Assignment]) -> [(member: String, group: [SharedConfig.Assignment])] {
        var groups: [(member: String, group: [SharedConfig.Assignment])] = []
        for assignment in assignments {
            let member = assignment.resolution.type.member ?? assignment.resolution.type.fileName
            if let index = groups.firstIndex(where: { $0.member == member }) {
                groups[index].group.append(assignment)
            } else {
                groups.append((member, [assignment]))
            }
        }
        return groups
    }

    /// `broker`, or `broker,he_shared` for a write of both.
    static func typeNames(_ assignments: [SharedConfig.Assignment]) -> String {
        var names: [String] = []
        for assignment in assignments where !names.contains(assignment.resolution.type.name) {
            names.append(assignment.resolution.type.name)
        }
        return names.joined(separator: ",")
    }

    /// When the change takes effect, once per type.
    static func takesEffect(_ assignments: [SharedConfig.Assignment]) -> [String] {
        var notes: [String] = []
        for assignment in assignments {
            if let note = assignment.resolution.type.takesEffect, !notes.contains(note) { notes.append(note) }
        }
        return notes
    }

    /// The conflict, naming the key's value now and who changed it (every change, when the key
    /// itself did not).
    private func conflict(since base: ConfigArchive, on volume: Volume, setting resolutions: [SharedConfig.Resolution])
        -> HostedEngineError
    {
        guard let now = try? ConfigArchive.load(from: volume) else { return .changedBySomebodyElse }
        let report = ConflictReport(schema: rules.schema, volume: volume)
        var lines = report.lines(from: base, to: now) { change in
            resolutions.contains { change.member == $0.type.member && change.editable?.name == $0.key.name }
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

    /// The archive with every key set, checked file by file as each reader will read it, with
    /// the lines those checks have to say and each key's value before; nil when it holds them all.
    func edited(_ archive: ConfigArchive, setting assignments: [SharedConfig.Assignment], options: SharedConfig.WriteOptions) throws
        -> (bytes: [UInt8], notes: [String], olds: [String?])?
    {
        var replacements: [(member: String, contents: [UInt8])] = []
        var notes: [String] = []
        var olds: [(userKey: String, member: String, old: String?)] = []
        for (member, group) in Self.byMember(assignments) {
            guard let bytes = archive.contents(of: member) else {
                throw HostedEngineError.archiveInvalid(path: archive.origin, problem: .lacksMember(member))
            }
            let file = try rules.schema.file(member: member, bytes: bytes)
            for assignment in group {
                let key = assignment.resolution.key
                olds.append((assignment.userKey, member, try? file.value(forKey: key.name, section: key.section)))
            }
            guard let edit = try rules.editedFile(bytes, name: member, setting: group.map(\.rule), force: options.force) else { continue }
            replacements.append((member, edit.bytes))
            notes += edit.notes
        }
        if replacements.isEmpty { return nil }
        let bytes = try archive.replacing(
            replacements, modificationTime: options.modificationTime ?? Int64(time(nil)), allowLargeArchive: options.allowLargeArchive)
        let before = assignments.map { assignment in
            olds.first { $0.userKey == assignment.userKey && $0.member == assignment.resolution.type.member }.flatMap(\.old)
        }
        return (bytes, notes, before)
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
