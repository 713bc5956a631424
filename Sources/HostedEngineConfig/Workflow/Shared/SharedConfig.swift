import Glibc

/// Get, set and get-all of the editable keys on the configuration volume, with the design
/// note's rules for types, keys and duplicates.
public struct SharedConfig: Sendable {
    public let schema: Schema
    /// The rules every set follows, wherever its key lives.
    var rules: SetRules { SetRules(schema: schema) }

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

    /// One key of a set of several, and its value; `userKey` as the user named it.
    public struct Assignment: Sendable {
        public let resolution: Resolution
        public let value: String
        public let userKey: String

        var rule: SetRules.Assignment { SetRules.Assignment(resolution, value) }
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
        /// ones it replaced were saved at `backups`. `notes`: what the administrator is to be
        /// told of it (what a reader now makes of other lines, when it takes effect).
        case written(backups: [String], notes: [String] = [])
        /// A dry run: the value would change from `old` (nil: not set); nothing was written.
        /// `details`: what else it would change, one line each (a vm key's every field).
        case wouldWrite(old: String?, details: [String] = [])
        /// A dry run of several keys: each one's value before, in the order given (nil: not set).
        case wouldWriteEach(olds: [String?])
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
        /// What the shared history says made a write: the command, without values.
        public var command = "(library)"
        /// This host's host_id, for the shared history (`VolumeLocator.hostId`).
        public var hostId: UInt64?
        /// A set of one key writes only while the key still holds this value (what the caller
        /// read: `--if-value`); otherwise exit 3, naming who changed it.
        public var expectedValue: String?

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
        return (try store(of: resolution.type, locator: locator).value(of: resolution, userKey: userKey), resolution.type.name)
    }

    /// `--get-all-config`.
    public func getAll(type typeName: String?, locator: VolumeLocator) throws -> [TypeValues] {
        let types = try types(named: typeName)
        var values: [TypeValues] = []
        // The types each kind of place holds, read together (the archive once for its types).
        var inArchive: [ConfigType] = []
        var inHostFiles: [ConfigType] = []
        var inOvfStores: [ConfigType] = []
        for type in types {
            if let file = type.hostFile {
                // Without --type, a host file that is not there (not a host, or the volume named
                // by --volume) is left out rather than failing the rest.
                if typeName == nil, !LocalFile.exists(locator.path(of: file).path) { continue }
                inHostFiles.append(type)
            } else if type.member != nil {
                inArchive.append(type)
            } else {
                inOvfStores.append(type)
            }
        }
        for held in [inArchive, inHostFiles, inOvfStores] where !held.isEmpty {
            values += try store(of: held[0], locator: locator).values(of: held)
        }
        return types.compactMap { type in values.first { $0.type.name == type.name } }
    }

    /// Where `type`'s keys live.
    func store(of type: ConfigType, locator: VolumeLocator) -> any ConfigStore {
        if type.storage == .ovfStore { return VmStore(locator: locator) }
        if type.hostFile != nil { return HostFileStore(rules: rules, locator: locator) }
        return ArchiveStore(rules: rules, locator: locator)
    }

    /// The archive with the key set to `value`, or nil when it already holds that value.
    public func archive(
        _ archive: ConfigArchive, setting resolution: Resolution, to value: String, options: WriteOptions
    ) throws -> [UInt8]? {
        try ArchiveStore(rules: rules, locator: VolumeLocator()).edited(archive, setting: resolution, to: value, options: options)?.bytes
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

    /// `--set-shared-config --set KEY=VALUE ...`: several keys in one write, all or none. They
    /// must share a place: the configuration archive (broker and he_shared together), or one of
    /// this host's files; vm keys are set one at a time. Every key is resolved, and every value
    /// checked, before anything is read or written.
    public func set(_ pairs: [(key: String, value: String)], type typeName: String?, locator: VolumeLocator, options: WriteOptions)
        throws -> SetOutcome
    {
        var assignments: [Assignment] = []
        for (key, value) in pairs {
            let resolution = try resolve(key: key, type: typeName)
            if let earlier = assignments.first(where: { $0.resolution == resolution }) {
                throw HostedEngineError.keyGivenTwice(key: key, earlier: earlier.userKey)
            }
            assignments.append(Assignment(resolution: resolution, value: value, userKey: key))
        }
        guard let first = assignments.first else { throw HostedEngineError.missingValue(key: "--set KEY=VALUE") }
        if assignments.count == 1 {
            return try set(key: first.userKey, value: first.value, type: typeName, locator: locator, options: options)
        }
        let places = assignments.map { $0.resolution.type.member != nil ? "the configuration archive" : $0.resolution.type.fileDescription }
        if let vm = assignments.first(where: { $0.resolution.type.storage == .ovfStore }) {
            throw HostedEngineError.notTogether(keys: assignments.map(\.userKey), why: .vmKeyAmongOthers(key: vm.userKey))
        }
        if Set(places).count > 1 {
            let named = zip(assignments, places).map { "\($0.userKey) (\($1))" }
            throw HostedEngineError.notTogether(keys: assignments.map(\.userKey), why: .differentPlaces(placed: named))
        }
        do {
            if first.resolution.type.hostFile != nil {
                return try HostFileStore(rules: rules, locator: locator).set(assignments, options: options)
            }
            return try ArchiveStore(rules: rules, locator: locator).set(assignments, options: options)
        } catch let HostedEngineError.invalidValue(key, _, rule)
            where assignments.contains(where: { $0.userKey == key && $0.resolution.key.isSecret })
        {
            throw HostedEngineError.invalidValue(key: key, value: "(secret)", rule: rule)
        }
    }

    /// `--set-shared-config`. The key is checked before the value's presence, the value before
    /// the volume is touched.
    public func set(
        key userKey: String, value: String?, type typeName: String?, locator: VolumeLocator, options: WriteOptions
    ) throws -> SetOutcome {
        let resolution: Resolution
        do {
            resolution = try resolve(key: userKey, type: typeName)
        } catch let error as HostedEngineError {
            // A key its file sets that this tool does not edit: said so, rather than unknown.
            guard case .invalidKey = error, let found = try? resolveInFiles(key: userKey, type: typeName, locator: locator),
                case let .fixed(why) = found.key.rule
            else { throw error }
            throw HostedEngineError.notEditable(key: userKey, reason: .fixed(why: why))
        }
        guard let value else { throw HostedEngineError.missingValue(key: userKey) }
        do {
            return try store(of: resolution.type, locator: locator).set(resolution, to: value, userKey: userKey, options: options)
        } catch let HostedEngineError.invalidValue(key, _, rule) where resolution.key.isSecret {
            // A secret's value is not repeated in the message.
            throw HostedEngineError.invalidValue(key: key, value: "(secret)", rule: rule)
        }
    }
}
