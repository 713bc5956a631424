extension CompareAndSwap {
    /// Replaces the configuration archive `base` with `newArchive`; returns where `base` was saved.
    @discardableResult
    public func replace(base: ConfigArchive, with newArchive: [UInt8], now: Int64 = TimeText.now()) throws -> String {
        try replace(baseChecksum: base.checksum, baseCount: base.bytes.count, kind: ConfigArchive.backupKind, with: newArchive, now: now)
            .backup
    }
}
