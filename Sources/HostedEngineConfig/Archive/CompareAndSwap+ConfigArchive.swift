extension CompareAndSwap {
    /// Replaces the configuration archive `base` with `newArchive`; returns where `base` was saved.
    @discardableResult
    public func replace(base: ConfigArchive, with newArchive: [UInt8], now: Int64 = TimeText.now()) throws -> String {
        try replace(baseChecksum: base.checksum, baseCount: base.bytes.count, kind: ConfigArchive.backupKind, with: newArchive, now: now)
            .backup
    }
}

extension CompareAndSwap {
    /// Writes `newArchive` over whatever the volume holds at offset 0 (a damaged archive,
    /// zeros, garbage): a forced restore where there is no archive to compare with. Under the
    /// lock, with the journal as for any write; the bytes it covers (at least one 20480-byte
    /// record) are saved as a backup first, and where is returned.
    public func overwrite(with newArchive: [UInt8], now: Int64 = TimeText.now()) throws -> String {
        guard Int64(newArchive.count) <= volume.size else {
            throw HostedEngineError.archiveDoesNotFit(size: newArchive.count, volumeSize: volume.size, path: volume.path)
        }
        try volume.lockExclusively(timeout: lockTimeout)
        defer { volume.unlock() }
        try Journal.recoverLocked(volume)
        let count = Int(min(Int64(max(newArchive.count, ConfigArchive.recordSize)), volume.size))
        let current = try volume.read(count: count, at: 0)
        return try replaceLocked(
            baseChecksum: Checksum(of: current), baseCount: current.count, baseVerified: true, kind: ConfigArchive.backupKind,
            with: newArchive, now: now
        ).backup
    }
}
