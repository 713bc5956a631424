import Logging

extension CompareAndSwap {
    /// Replaces the configuration archive `base` with `newArchive`; returns where `base` was saved.
    @discardableResult
    public func replace(base: ConfigArchive, with newArchive: [UInt8], now: Int64 = TimeText.now()) throws -> String {
        try replace(baseChecksum: base.checksum, baseCount: base.bytes.count, kind: ConfigArchive.backupKind, with: newArchive, now: now)
            .backup
    }

    /// Replaces `base` with `newArchive`; when the volume moved on since `base` was read and
    /// every writer shares this lock (see `Volume.lockIsSharedByEveryWriter`), `rebasing` makes
    /// the change again on what the volume holds now, under the lock, and that is written:
    /// it throws `changedBySomebodyElse` when the same key changed meanwhile, and returns nil
    /// when the volume already holds the change. Returns where the replaced archive was saved,
    /// or nil when nothing was written.
    public func replace(
        base: ConfigArchive, with newArchive: [UInt8], now: Int64 = TimeText.now(), rebasing: (ConfigArchive) throws -> [UInt8]?
    ) throws -> (backup: String, written: [UInt8])? {
        return try volume.withWriteLock(timeout: lockTimeout) {
            let current = try volume.read(count: base.bytes.count, at: 0)
            if current.count == base.bytes.count, Checksum(of: current) == base.checksum {
                let backup = try replaceLocked(
                    baseChecksum: base.checksum, baseCount: base.bytes.count, baseVerified: true, kind: ConfigArchive.backupKind,
                    with: newArchive, now: now
                ).backup
                return (backup, newArchive)
            }
            guard volume.lockIsSharedByEveryWriter else { throw HostedEngineError.changedBySomebodyElse }
            let moved = try ConfigArchive(reading: volume)
            guard let rebased = try rebasing(moved) else {
                volume.settings.logger.info("The volume moved on to \(moved.checksum) and already holds the change")
                return nil
            }
            volume.settings.logger.info(
                "The volume moved on since it was read (\(base.checksum), now \(moved.checksum)) in other keys; the change is made again on what it holds now"
            )
            let backup = try replaceLocked(
                baseChecksum: moved.checksum, baseCount: moved.bytes.count, baseVerified: true, kind: ConfigArchive.backupKind,
                with: rebased, now: now
            ).backup
            return (backup, rebased)
        }
    }
}

extension CompareAndSwap {
    /// Writes the configuration archive `newArchive` over whatever the volume holds (see
    /// `overwrite(with:kind:covering:now:)`), saving at least a 20480-byte record first.
    public func overwrite(with newArchive: [UInt8], now: Int64 = TimeText.now()) throws -> String {
        try overwrite(with: newArchive, kind: ConfigArchive.backupKind, covering: ConfigArchive.recordSize, now: now)
    }
}
