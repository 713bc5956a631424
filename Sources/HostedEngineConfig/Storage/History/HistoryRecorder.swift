/// Who writes and with what, for the version a write adds to the shared history; the
/// workflow supplies how two archives differ (the storage layer knows no archive).
public struct HistoryRecorder: Sendable {
    public var hostId: UInt64?
    public var hostname: String
    public var user: String
    public var command: String
    /// `TYPE:KEY` for each key that differs between two archives; nil when the first holds no
    /// archive (zeros, garbage).
    public var changedKeys: @Sendable (_ old: [UInt8], _ new: [UInt8]) -> [String]?

    public init(
        hostId: UInt64?, hostname: String, user: String, command: String,
        changedKeys: @escaping @Sendable (_ old: [UInt8], _ new: [UInt8]) -> [String]?
    ) {
        self.hostId = hostId
        self.hostname = hostname
        self.user = user
        self.command = command
        self.changedKeys = changedKeys
    }

    /// What `--history` says of a version found on the volume that no write of this tool made
    /// (upstream's tool, a restore by dd, the archive as setup left it).
    public static let foundCommand = "(found on the volume)"

    /// Adds `new` to `history`, under the volume's write lock, before the journal: a version
    /// that never lands (the process dies before its journal record) is replaced by the next.
    /// `old`: what the volume holds now, recorded first when the history does not end with it.
    func record(in history: SharedHistory, old: [UInt8], oldChecksum: Checksum, new: [UInt8], now: Int64) throws {
        guard history.location != .none, SharedHistory.fits(new.count) else { return }
        let newest = try history.newestHeader()
        var sequence = (newest?.sequence ?? 0) + 1
        // nil: what the volume holds is no archive (zeros, garbage); one parse answers both.
        let keys = changedKeys(old, new)
        let oldIsArchive = keys != nil
        if let newest, newest.checksum != oldChecksum, newest.base == oldChecksum {
            // Its write never landed: the volume still holds what it would have replaced.
            sequence = newest.sequence
        } else if newest?.checksum != oldChecksum, oldIsArchive, SharedHistory.fits(old.count) {
            try history.write(
                HistoryEntry(
                    sequence: sequence, time: now, hostId: nil, hostname: "", user: "", command: Self.foundCommand, keys: [],
                    base: nil, checksum: oldChecksum, length: old.count), archive: old)
            sequence += 1
        }
        try history.write(
            HistoryEntry(
                sequence: sequence, time: now, hostId: hostId, hostname: hostname, user: user, command: command, keys: keys ?? [],
                base: oldIsArchive ? oldChecksum : nil, checksum: Checksum(of: new), length: new.count), archive: new)
    }
}
