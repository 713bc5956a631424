import Glibc
import Logging

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
    /// Adds each archive written to the shared history; nil for volumes that keep none (the
    /// OVF_STORE copies, which are the engine's).
    public let history: HistoryRecorder?

    public init(volume: Volume, lockTimeout: Double, backups: BackupStore, history: HistoryRecorder? = nil) {
        self.volume = volume
        self.lockTimeout = lockTimeout
        self.backups = backups
        self.history = history
    }

    /// Replaces the `baseCount` bytes whose checksum is `baseChecksum` with `newArchive`,
    /// saving them as a backup of `kind` first. A stream too large to hold is read once, into
    /// the journal, and the in-place write copies it from there. Returns where the replaced
    /// archive was saved, and the journal record of the write.
    func replace(
        baseChecksum: Checksum, baseCount: Int, kind: String, with newArchive: some ByteStream, now: Int64
    ) throws -> (backup: String, record: Journal.Header) {
        guard Int64(newArchive.count) <= volume.size else {
            // Growing a file-based volume silently would change what other hosts read past it.
            throw HostedEngineError.archiveDoesNotFit(size: newArchive.count, volumeSize: volume.size, path: volume.path)
        }
        return try volume.withWriteLock(timeout: lockTimeout) {
            try replaceLocked(baseChecksum: baseChecksum, baseCount: baseCount, kind: kind, with: newArchive, now: now)
        }
    }

    /// The compare-and-swap itself, for a caller that holds the volume's lock and has settled
    /// its journal (one that reads the volume to build the new archive under the same lock).
    /// `baseVerified`: the caller hashed the volume's archive under this lock and found the base.
    func replaceLocked(
        baseChecksum: Checksum, baseCount: Int, baseVerified: Bool = false, kind: String, with newArchive: some ByteStream, now: Int64
    ) throws -> (backup: String, record: Journal.Header) {
        guard Int64(newArchive.count) <= volume.size else {
            throw HostedEngineError.archiveDoesNotFit(size: newArchive.count, volumeSize: volume.size, path: volume.path)
        }
        if case let .inVolume(_, offset) = volume.leaseLocation, Int64(max(newArchive.count, baseCount)) > offset {
            // The sanlock lease lives there.
            throw HostedEngineError.archiveDoesNotFit(size: newArchive.count, volumeSize: offset, path: volume.path)
        }
        // The bytes the new archive will cover, and at least the base's: held when small, else
        // read again for each use.
        let replacedCount = max(baseCount, newArchive.count)
        let replaced: any ByteStream =
            replacedCount <= streamChunkSize
            ? try volume.read(count: replacedCount, at: 0) : VolumeBytes(volume: volume, range: 0..<Int64(replacedCount))
        let current: any ByteStream =
            (replaced as? [UInt8]).map { Array($0.prefix(baseCount)) } ?? VolumeBytes(volume: volume, range: 0..<Int64(baseCount))
        guard current.count == baseCount, try baseVerified || Checksum(streaming: current) == baseChecksum else {
            throw HostedEngineError.changedBySomebodyElse
        }
        let log = volume.settings.logger
        log.info("The volume still holds the base \(baseChecksum) (\(baseCount) bytes); writing \(newArchive.count) bytes")
        if volume.settings.delayAfterCompare > 0 { usleep(UInt32(volume.settings.delayAfterCompare * 1_000_000)) }
        let backup = try backups.save(
            kind: kind, bytes: current, checksum: baseChecksum, at: now, owner: (volume.ownerUID, volume.ownerGID), origin: volume.path)
        log.info("Saved the bytes it replaces as \(backup)")
        // Before the journal: a history that cannot be written stops the write with nothing written.
        if let history, SharedHistory.fits(newArchive.count) {
            try history.record(
                in: SharedHistory(volume: volume), old: try Self.collect(current), oldChecksum: baseChecksum,
                new: try Self.collect(newArchive), now: now)
            log.info("Added to the shared history")
        }
        let journal = Journal(volume: volume)
        let record = try journal.writePending(
            new: newArchive, old: replaced, oldChecksum: replacedCount == baseCount ? baseChecksum : nil, time: now)
        log.info("Journal record written and fsynced")
        do {
            // From memory when it is there; otherwise from the journal, as its source may be the
            // very bytes being overwritten.
            if let inMemory = newArchive as? [UInt8] {
                try writeInPlace(inMemory)
            } else {
                try writeInPlace(try journal.newArchive(of: record))
            }
            try volume.synchronize()
            try journal.markDone(record)
        } catch let error as HostedEngineError {
            // The change is durable in the journal: never "nothing was written".
            if case .leaseLost = error { throw error }
            throw HostedEngineError.recordedNotCompleted(path: volume.path, cause: error)
        }
        log.info("Written at offset 0 and fsynced; journal record marked done")
        return (backup, record)
    }

    /// Writes `newArchive` over whatever the volume holds at offset 0, where there is no
    /// archive to compare with (a forced restore over zeros or garbage): under the lock, with
    /// the journal as for any write. The bytes it covers (at least `covering`) are saved as a
    /// backup of `kind` first; returns where.
    func overwrite(with newArchive: [UInt8], kind: String, covering minimum: Int, now: Int64) throws -> String {
        guard Int64(newArchive.count) <= volume.size else {
            throw HostedEngineError.archiveDoesNotFit(size: newArchive.count, volumeSize: volume.size, path: volume.path)
        }
        return try volume.withWriteLock(timeout: lockTimeout) {
            let count = Int(min(Int64(max(newArchive.count, minimum)), volume.size))
            let current = try volume.read(count: count, at: 0)
            return try replaceLocked(
                baseChecksum: Checksum(of: current), baseCount: current.count, baseVerified: true, kind: kind, with: newArchive, now: now
            ).backup
        }
    }

    private static func collect(_ stream: some ByteStream) throws -> [UInt8] {
        if let bytes = stream as? [UInt8] { return bytes }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(stream.count)
        try stream.forEachChunk { bytes += $0 }
        return bytes
    }

    private func writeInPlace(_ archive: some ByteStream) throws {
        var position: Int64 = 0
        try WholeBlocks(base: archive).forEachChunk { chunk in
            try volume.write(chunk, at: position)
            position += Int64(chunk.count)
        }
    }
}
