import Glibc

extension BackupStore {
    /// Saves the configuration archive `archive` (see `save(kind:bytes:checksum:at:owner:)`).
    public func save(_ archive: ConfigArchive, at time: Int64, owner: (uid: uid_t, gid: gid_t)? = nil) throws -> String {
        try save(kind: ConfigArchive.backupKind, bytes: archive.bytes, checksum: archive.checksum, at: time, owner: owner)
    }
}
