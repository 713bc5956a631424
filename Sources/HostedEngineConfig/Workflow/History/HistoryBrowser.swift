/// `--history`, `--show-version`, and restores from the shared history: the versions every host
/// wrote, read from the configuration volume (see `SharedHistory`), checked before use.
public struct HistoryBrowser: Sendable {
    public let schema: Schema

    public init(schema: Schema = .standard) {
        self.schema = schema
    }

    public struct Listing: Sendable {
        /// The configuration volume, as named.
        public let volume: String
        public let location: SharedHistory.Location
        /// Newest first; without a version whose write never completed.
        public let versions: [HistoryEntry]
        /// The version the volume holds now, when one does.
        public let current: UInt64?
        /// Slots that hold something other than a whole version (cut short, or left from
        /// earlier use of the storage); the next writes replace them.
        public let damagedSlots: Int
        /// The newest version, when its write never completed (the volume still holds what it
        /// would have replaced); the next write takes its slot.
        public let notCompleted: HistoryEntry?
        /// The newest version, when its write is pending in the journal (a crash cut it short
        /// after its record): the next command that reads the volume completes it.
        public let pending: UInt64?

        /// The newest version whose archive the tool can restore.
        public var newest: HistoryEntry? { versions.first }
    }

    /// The sequence number an ID names: `v17` (as `--history` shows it), nil for anything else.
    public static func sequence(of id: String) -> UInt64? {
        guard id.count > 1, id.first == "v" || id.first == "V" else { return nil }
        return UInt64(id.dropFirst()).flatMap { $0 > 0 ? $0 : nil }
    }

    public func listing(locator: VolumeLocator) throws -> Listing {
        let volume = try locator.openConfigurationVolume(forWriting: false)
        return try listing(of: volume)
    }

    func listing(of volume: Volume) throws -> Listing {
        let history = SharedHistory(volume: volume)
        let found = try history.list()
        // What offset 0 holds, read without settling a pending journal record (verify-storage writes nothing).
        let now = (try? ConfigArchive(reading: volume))?.checksum
        var entries = found.entries
        var notCompleted: HistoryEntry?
        // A version whose journal record is pending is not cut short: the next command lands it.
        let pending = (try? Journal(volume: volume).readHeader()).flatMap { $0 }.flatMap { header in
            header.state == .pending ? Checksum(digestBytes: header.newHash) : nil
        }
        if let now, let newest = entries.last, newest.checksum != now, newest.base == now, newest.checksum != pending {
            notCompleted = entries.removeLast()
        }
        let pendingVersion = entries.last.flatMap { $0.checksum == pending && $0.checksum != now ? $0.sequence : nil }
        // What readers read: a pending record's archive, else offset 0.
        let current = pendingVersion ?? entries.last(where: { $0.checksum == now })?.sequence
        return Listing(
            volume: volume.path, location: history.location, versions: entries.reversed(), current: current,
            damagedSlots: found.damagedSlots, notCompleted: notCompleted, pending: pendingVersion)
    }

    /// The ID of the version that holds `archive`, when the history of `volume` has one.
    static func currentId(of archive: ConfigArchive, on volume: Volume) -> String? {
        (try? SharedHistory(volume: volume).list())?.entries.last { $0.checksum == archive.checksum }?.id
    }

    /// The version `id` names and its archive, checked as any archive read from the storage is.
    public func version(_ id: String, locator: VolumeLocator) throws -> (entry: HistoryEntry, archive: ConfigArchive) {
        let volume = try locator.openConfigurationVolume(forWriting: false)
        let listing = try listing(of: volume)
        guard listing.location != .none else { throw HostedEngineError.noSharedHistory(path: volume.path) }
        guard let sequence = Self.sequence(of: id), let entry = listing.versions.first(where: { $0.sequence == sequence }),
            let bytes = try SharedHistory(volume: volume).archive(of: entry)
        else {
            throw HostedEngineError.versionNotFound(
                DisplayText.printable(id), newest: listing.versions.first?.id, oldest: listing.versions.last?.id)
        }
        do {
            return (entry, try ConfigArchive(bytes: bytes, origin: entry.id))
        } catch let HostedEngineError.archiveInvalid(_, problem, _) {
            throw HostedEngineError.versionUnusable(entry.id, problem: problem)
        }
    }

    /// Every key each archive type's file sets in `archive`, as its reader reads it.
    public func values(in archive: ConfigArchive) throws -> [SharedConfig.TypeValues] {
        let types = schema.types.filter { $0.member != nil }
        return try ArchiveStore(rules: SetRules(schema: schema), locator: VolumeLocator()).allValues(of: types, in: archive)
    }

    /// What differs from `old` to `new`, key by key.
    public func changes(from old: ConfigArchive, to new: ConfigArchive) -> ConfigChanges {
        ConfigChanges(from: old.memberContents, to: new.memberContents, memberOrder: ConfigArchive.memberNames, schema: schema)
    }

    /// `--restore-backup ID --key KEY`: sets the key to the value version `id` holds, as a set
    /// does (its rules, its confirmation, made again on a volume that moved on), so later
    /// changes to other keys stay.
    public func restoreKey(
        _ userKey: String, type typeName: String?, from id: String, locator: VolumeLocator, options: SharedConfig.WriteOptions
    ) throws -> SharedConfig.SetOutcome {
        let shared = SharedConfig(schema: schema)
        let resolution = try shared.resolve(key: userKey, type: typeName)
        guard resolution.type.member != nil else {
            throw HostedEngineError.notEditable(key: userKey, reason: .notInSharedHistory(file: resolution.type.fileDescription))
        }
        let (entry, archive) = try version(id, locator: locator)
        let value: String
        do {
            value = try ArchiveStore(rules: SetRules(schema: schema), locator: locator).value(
                of: resolution, in: archive, userKey: userKey)
        } catch let HostedEngineError.keyNotSet(key, file, _) {
            throw HostedEngineError.keyNotInVersion(key: key, version: entry.id, file: file)
        }
        return try shared.set(key: userKey, value: value, type: resolution.type.name, locator: locator, options: options)
    }
}
