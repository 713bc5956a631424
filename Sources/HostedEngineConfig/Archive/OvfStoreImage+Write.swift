extension OvfStoreImage {
    /// Writes this image with member `name` holding `contents`, by a compare-and-swap whose base
    /// is this image. Returns where the replaced archive was saved, and the journal record of
    /// the write (`checksumAfterWriting` turns it into the copy's new checksum).
    func write(
        member name: String, contents: [UInt8], modificationTime: Int64, lockTimeout: Double, backups: BackupStore
    ) throws -> (backup: String, record: Journal.Header) {
        let newArchive = try replacing(member: name, with: contents, modificationTime: modificationTime)
        return try CompareAndSwap(volume: volume, lockTimeout: lockTimeout, backups: backups).replace(
            baseChecksum: checksum, baseCount: count, kind: OvfStoreArchive.backupKind, with: newArchive, now: modificationTime)
    }
}
