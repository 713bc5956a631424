/// Writes a new archive only if the volume still holds the one the change was made from, and
/// so that a crash at any byte leaves the old archive or the new one.
///
/// The base is the SHA-256 of the archive bytes read at the start. Under an exclusive lock on
/// the volume (held from the re-read through the last fsync), an interrupted earlier write is
/// settled first, then the same bytes are read again and hashed; if they differ, somebody else
/// wrote in between and nothing is written. Otherwise: the archive about to be replaced is saved
/// to the backup folder; the journal record (new archive and the bytes it replaces) is written
/// and fsynced; the new archive goes to offset 0 and is fsynced; the record is marked done.
public struct CompareAndSwap {
    public let volume: Volume
    public let lockTimeout: Double
    public let backups: BackupStore

    public init(volume: Volume, lockTimeout: Double, backups: BackupStore) {
        self.volume = volume
        self.lockTimeout = lockTimeout
        self.backups = backups
    }

    /// Returns where the replaced archive was saved.
    @discardableResult
    public func replace<Archive: StoredArchive>(base: Archive, with newArchive: [UInt8], now: Int64 = TimeText.now()) throws -> String {
        guard Int64(newArchive.count) <= volume.size else {
            // Growing a file-based volume silently would change what other hosts read past it.
            throw HostedEngineError.archiveDoesNotFit(size: newArchive.count, volumeSize: volume.size, path: volume.path)
        }
        try volume.lockExclusively(timeout: lockTimeout)
        defer { volume.unlock() }
        try Journal.recoverLocked(volume)
        // The bytes the new archive will cover, and at least the base's.
        let replaced = try volume.read(count: max(base.bytes.count, newArchive.count), at: 0)
        guard Checksum(of: Array(replaced.prefix(base.bytes.count))) == base.checksum else {
            throw HostedEngineError.changedBySomebodyElse
        }
        let backup = try backups.save(base, at: now, owner: (volume.ownerUID, volume.ownerGID))
        let journal = Journal(volume: volume)
        let record = try journal.writePending(new: newArchive, old: replaced, time: now)
        try volume.write(newArchive, at: 0)
        try volume.synchronize()
        try journal.markDone(record)
        return backup
    }
}
