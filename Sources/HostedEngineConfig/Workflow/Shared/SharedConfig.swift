import Glibc

/// Get, set and get-all of the editable keys on the configuration volume, with the design
/// note's rules for types, keys and duplicates.
public struct SharedConfig: Sendable {
    public let schema: Schema

    public init(schema: Schema = .standard) {
        self.schema = schema
    }

    /// A key the user named, resolved to its type and schema entry.
    public struct Resolution: Sendable, Equatable {
        public let type: ConfigType
        public let key: ConfigKey

        public static func == (lhs: Resolution, rhs: Resolution) -> Bool {
            lhs.type.name == rhs.type.name && lhs.key == rhs.key
        }

        /// `email.smtp-port: '25' -> '587'`, a secret's values masked: for the audit trail.
        func changeLine(old: String?, new: String) -> String {
            "\(key.qualifiedName): \(DisplayText.quoted(old, secret: key.isSecret)) -> \(DisplayText.quoted(new, secret: key.isSecret))"
        }
    }

    /// The values of one type's keys that its file sets, in schema order.
    public struct TypeValues: Sendable {
        public let type: ConfigType
        public let values: [(key: ConfigKey, value: String)]
    }

    public enum SetOutcome: Sendable, Equatable {
        /// The volume already held the value; nothing was written.
        case unchanged
        /// The new archive was written and flushed (to every OVF_STORE copy, for a vm key); the
        /// ones it replaced were saved at `backups`.
        case written(backups: [String])
        /// A dry run: the value would change from `old` (nil: not set); nothing was written.
        case wouldWrite(old: String?)
    }

    /// Options of a write.
    public struct WriteOptions: Sendable {
        /// Where the archive a write replaces is saved first.
        public var backups: BackupStore
        public var lockTimeout: Double
        public var allowLargeArchive: Bool
        /// The mtime of the changed member; now, unless a caller needs another.
        public var modificationTime: Int64?
        /// Write without asking: a vm key (and accept a network the OVF does not list), a storage
        /// connection key, an identity key (refused without it).
        public var force: Bool
        /// Shows a change that needs confirming (the text says what it changes) and answers
        /// whether to make it; nil when there is no one to ask (no terminal).
        public var confirm: (@Sendable (String) -> Bool)?
        /// Where every write is recorded; nil records nothing (the library's tests).
        public var audit: AuditLog?
        /// Check and say what would change, and write nothing (`--dry-run`; no confirmation asked).
        public var dryRun = false

        public init(
            backups: BackupStore, lockTimeout: Double = 30, allowLargeArchive: Bool = false, modificationTime: Int64? = nil,
            force: Bool = false, confirm: (@Sendable (String) -> Bool)? = nil, audit: AuditLog? = nil
        ) {
            self.backups = backups
            self.lockTimeout = lockTimeout
            self.allowLargeArchive = allowLargeArchive
            self.modificationTime = modificationTime
            self.force = force
            self.confirm = confirm
            self.audit = audit
        }
    }

    // MARK: - Resolution

    /// Which type and key `userKey` names. A given type is checked first, then the key, then
    /// whether the key is in more than one type.
    public func resolve(key userKey: String, type typeName: String?) throws -> Resolution {
        if let typeName {
            guard let type = schema.type(named: typeName) else {
                throw HostedEngineError.invalidType(typeName, supported: schema.types.map(\.name), hint: typeHint(typeName))
            }
            // With a type given, only its keys are listed.
            guard let key = type.key(matching: userKey) else {
                throw HostedEngineError.invalidKey(userKey, available: [Schema.listing(of: type)], hint: keyHint(userKey, type: type))
            }
            return Resolution(type: type, key: key)
        }
        let matches = schema.types.compactMap { type in type.key(matching: userKey).map { Resolution(type: type, key: $0) } }
        guard let first = matches.first else {
            throw HostedEngineError.invalidKey(userKey, available: schema.availableKeysListing, hint: keyHint(userKey, type: nil))
        }
        guard matches.count == 1 else {
            throw HostedEngineError.duplicateKey(userKey, types: matches.map(\.type.name), files: matches.map(\.type.fileDescription))
        }
        return first
    }

    /// The types `typeName` selects: that one, or all of them.
    public func types(named typeName: String?) throws -> [ConfigType] {
        guard let typeName else { return schema.types }
        guard let type = schema.type(named: typeName) else {
            throw HostedEngineError.invalidType(typeName, supported: schema.types.map(\.name), hint: typeHint(typeName))
        }
        return [type]
    }

    // MARK: - On an archive

    public func file(of type: ConfigType, in archive: ConfigArchive) throws -> ConfigFile {
        guard let member = type.member, let bytes = archive.contents(of: member) else {
            throw HostedEngineError.archiveInvalid(path: archive.origin, reason: "it lacks \(type.member ?? type.name)")
        }
        return try schema.file(member: member, bytes: bytes)
    }

    /// The value of a resolved key, as its reader reads it (broker.conf as the HA broker does,
    /// interpolated). `userKey` is how the user named it, for the message when the file does
    /// not set it.
    public func value(of resolution: Resolution, in archive: ConfigArchive, userKey: String) throws -> String {
        guard let value = try reader(of: resolution.type, in: archive)(resolution.key) else {
            throw HostedEngineError.keyNotSet(
                key: userKey, file: resolution.type.member ?? resolution.type.name, fallback: resolution.key.brokerDefault)
        }
        return value
    }

    /// Every editable key each selected type's file sets, as its reader reads it; for
    /// hosted-engine.conf, every key it sets.
    public func allValues(of types: [ConfigType], in archive: ConfigArchive) throws -> [TypeValues] {
        try types.map { type in
            if type.isSourcedByShell, let member = type.member, let bytes = archive.contents(of: member) {
                let reading: AgentConfReading
                do throws(PythonConfigParser.Failure) {
                    reading = try AgentConfReading(bytes: bytes)
                } catch {
                    throw HostedEngineError.agentCannotRead(error, file: member)
                }
                return TypeValues(type: type, values: Self.values(of: type, in: reading))
            }
            let read = try reader(of: type, in: archive)
            let values = try type.keys.compactMap { key in try read(key).map { (key: key, value: $0) } }
            return TypeValues(type: type, values: values)
        }
    }

    /// `type`'s file, parsed once by its reader: what that reader reads for a key (nil when the
    /// file does not set it).
    private func reader(of type: ConfigType, in archive: ConfigArchive) throws -> (ConfigKey) throws -> String? {
        guard let member = type.member, let bytes = archive.contents(of: member) else {
            throw HostedEngineError.archiveInvalid(path: archive.origin, reason: "it lacks \(type.member ?? type.name)")
        }
        return try reader(of: member, bytes: bytes)
    }

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

    /// The archive with the key set to `value`, or nil when it already holds that value.
    public func archive(
        _ archive: ConfigArchive, setting resolution: Resolution, to value: String, options: WriteOptions
    ) throws -> [UInt8]? {
        try edited(archive, setting: resolution, to: value, options: options)?.bytes
    }

    /// The same, checked as the file's reader will read it, with the lines that check has to
    /// say and the value it replaces.
    func edited(
        _ archive: ConfigArchive, setting resolution: Resolution, to value: String, options: WriteOptions
    ) throws -> (bytes: [UInt8], notes: [String], old: String?)? {
        guard let member = resolution.type.member, let bytes = archive.contents(of: member) else {
            throw HostedEngineError.archiveInvalid(path: archive.origin, reason: "it lacks \(resolution.type.fileName)")
        }
        guard let edit = try editedFile(bytes, name: member, setting: resolution, to: value, force: options.force) else { return nil }
        let archiveBytes = try archive.replacing(
            member: member, with: edit.bytes, modificationTime: options.modificationTime ?? Int64(time(nil)),
            allowLargeArchive: options.allowLargeArchive)
        return (archiveBytes, edit.notes, edit.old)
    }

    // MARK: - On the volume

    /// `--get-shared-config`: the value and the type it came from.
    public func get(key userKey: String, type typeName: String?, locator: VolumeLocator) throws -> (value: String, type: String) {
        let resolution: Resolution
        do {
            resolution = try resolve(key: userKey, type: typeName)
        } catch let error as HostedEngineError {
            guard case .invalidKey = error, let found = try resolveInFiles(key: userKey, type: typeName, locator: locator) else {
                throw error
            }
            resolution = found
        }
        if resolution.type.storage == .ovfStore, let key = VmKey(userKey) {
            return (try VmConfig().get(key: key, locator: locator), resolution.type.name)
        }
        if resolution.type.hostFile != nil {
            return (try HostFileConfig(shared: self).value(of: resolution, userKey: userKey, locator: locator), resolution.type.name)
        }
        let archive = try ConfigArchive.load(from: try locator.openConfigurationVolume(forWriting: false))
        return (try value(of: resolution, in: archive, userKey: userKey), resolution.type.name)
    }

    /// `--get-all-config`.
    public func getAll(type typeName: String?, locator: VolumeLocator) throws -> [TypeValues] {
        let types = try types(named: typeName)
        let archiveTypes = types.filter { $0.member != nil }
        // Without --type, a host file that is not there (not a host, or the volume named by
        // --volume) is left out rather than failing the rest.
        var hostFileValues: [TypeValues] = []
        for type in types {
            guard let file = type.hostFile else { continue }
            if typeName == nil, !LocalFile.exists(locator.path(of: file).path) { continue }
            hostFileValues.append(try HostFileConfig(shared: self).values(of: type, locator: locator))
        }
        var values: [TypeValues] = []
        if !archiveTypes.isEmpty {
            let volume = try locator.openConfigurationVolume(forWriting: false)
            values = try allValues(of: archiveTypes, in: ConfigArchive.load(from: volume))
        }
        for type in types where type.storage == .ovfStore {
            let found = try VmConfig().getAll(locator: locator)
            values.append(
                TypeValues(
                    type: type, values: found.map { (key: ConfigKey(name: $0.key.description, section: nil, rule: .text), value: $0.value) }
                ))
        }
        values += hostFileValues
        return types.compactMap { type in values.first { $0.type.name == type.name } }
    }

    /// `--get-all-config`, each type read on its own: a missing OVF_STORE does not hide
    /// broker.conf, nor the reverse. Returns what could be read and why the rest could not, a
    /// failure that several types share (an unreadable volume) said once.
    public func getEach(type typeName: String?, locator: VolumeLocator) throws -> (values: [TypeValues], failures: [HostedEngineError]) {
        var values: [TypeValues] = []
        var failures: [HostedEngineError] = []
        for type in try types(named: typeName) {
            if typeName == nil, let file = type.hostFile, !LocalFile.exists(locator.path(of: file).path) { continue }
            do {
                values += try getAll(type: type.name, locator: locator)
            } catch let error as HostedEngineError {
                if !failures.contains(error) { failures.append(error) }
            }
        }
        return (values, failures)
    }

    /// `--set-shared-config`. The key is checked before the value's presence, the value before
    /// the volume is touched.
    public func set(
        key userKey: String, value: String?, type typeName: String?, locator: VolumeLocator, options: WriteOptions
    ) throws -> SetOutcome {
        let resolution = try resolve(key: userKey, type: typeName)
        guard let value else { throw HostedEngineError.missingValue(key: userKey) }
        if resolution.type.storage == .ovfStore, let key = VmKey(userKey) {
            return try VmConfig().set(key: key, value: value, locator: locator, options: options)
        }
        do {
            return try set(resolution, to: value, userKey: userKey, locator: locator, options: options)
        } catch let HostedEngineError.invalidValue(key, _, rule) where resolution.key.isSecret {
            // A secret's value is not repeated in the message.
            throw HostedEngineError.invalidValue(key: key, value: "(secret)", rule: rule)
        }
    }

    private func set(_ resolution: Resolution, to value: String, userKey: String, locator: VolumeLocator, options: WriteOptions) throws
        -> SetOutcome
    {
        try resolution.key.rule.validate(value, key: userKey, force: options.force)
        if resolution.type.hostFile != nil {
            return try HostFileConfig(shared: self).set(resolution, to: value, locator: locator, options: options)
        }
        let volume = try locator.openConfigurationVolume(forWriting: true)
        let base = try ConfigArchive.load(from: volume, lockTimeout: options.lockTimeout)
        guard let edit = try edited(base, setting: resolution, to: value, options: options) else {
            return .unchanged
        }
        if options.dryRun { return .wouldWrite(old: edit.old) }
        try confirm(resolution, old: edit.old, new: value, place: resolution.type.fileDescription, options: options)
        var before = base.checksum
        let swapped = try CompareAndSwap(volume: volume, lockTimeout: options.lockTimeout, backups: options.backups)
            .replace(base: base, with: edit.bytes) { moved in
                before = moved.checksum
                guard let member = resolution.type.member, let was = base.contents(of: member), let now = moved.contents(of: member) else {
                    throw HostedEngineError.changedBySomebodyElse
                }
                guard let again = try self.setAgain(resolution, to: value, in: member, read: was, now: now, force: options.force) else {
                    return nil
                }
                return try moved.replacing(
                    member: member, with: again.bytes, modificationTime: options.modificationTime ?? Int64(time(nil)),
                    allowLargeArchive: options.allowLargeArchive)
            }
        guard let swapped else { return .unchanged }
        options.audit(
            "set", target: volume.path, type: resolution.type.name, changes: [resolution.changeLine(old: edit.old, new: value)],
            before: before, after: Checksum(of: swapped.written), locator: locator)
        for note in edit.notes + [resolution.type.takesEffect].compactMap({ $0 }) { locator.volumeSettings.report(note) }
        return .written(backups: [swapped.backup])
    }
}
