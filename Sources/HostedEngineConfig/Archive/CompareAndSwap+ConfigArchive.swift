extension CompareAndSwap {
    /// Replaces the configuration archive `base` with `newArchive`; returns where `base` was saved.
    @discardableResult
    public func replace(base: ConfigArchive, with newArchive: [UInt8], now: Int64 = TimeText.now()) throws -> String {
        try replace(baseChecksum: base.checksum, baseCount: base.bytes.count, kind: ConfigArchive.backupKind, with: newArchive, now: now)
            .backup
    }
}

extension CompareAndSwap {
    /// Writes the configuration archive `newArchive` over whatever the volume holds (see
    /// `overwrite(with:kind:covering:now:)`), saving at least a 20480-byte record first.
    public func overwrite(with newArchive: [UInt8], now: Int64 = TimeText.now()) throws -> String {
        try overwrite(with: newArchive, kind: ConfigArchive.backupKind, covering: ConfigArchive.recordSize, now: now)
    }
}
