import Glibc

/// A folder of archives, each saved just before a write replaced it, named by the kind, the
/// time and the checksum: `he-conf-20261125T211542Z-<sha256 hex>.tar` (the configuration
/// archive) or `ovf-store-...tar` (an OVF_STORE's), mode 0600.
public struct BackupStore: Sendable {
    public static let defaultDirectory = "/var/lib/ovirt-hosted-engine-ha/backups"
    static let kinds = [ConfigArchive.backupKind, OvfStoreArchive.backupKind]

    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The store `--backup-dir`, else `HE_BACKUP_DIR`, else the default names.
    public init(option: String?, environment: [String: String]) {
        directory = [option, environment["HE_BACKUP_DIR"]].compactMap { $0 }.first { !$0.isEmpty } ?? Self.defaultDirectory
    }

    public struct Backup: Sendable, Equatable {
        /// `he-conf` or `ovf-store`.
        public let kind: String
        public let path: String
        public let time: Int64
        public let checksum: String
        public let size: Int64

        public var json: JSONText {
            .object([
                ("kind", .string(kind)), ("path", .string(path)), ("time", .string(TimeText.readable(time))),
                ("checksum", .string(checksum)), ("bytes", .number(size)),
            ])
        }
    }

    /// Saves `archive` (fsynced) and returns its path. Fails rather than let a write go ahead
    /// without a backup. When root saves it, it gets `owner` (the volume's), never root's.
    public func save(_ archive: ConfigArchive, at time: Int64, owner: (uid: uid_t, gid: gid_t)? = nil) throws -> String {
        try save(kind: ConfigArchive.backupKind, bytes: archive.bytes, checksum: archive.checksum, at: time, owner: owner)
    }

    /// Saves an archive given as a stream (read from the volume as it is copied).
    func save(kind: String, bytes: some ByteStream, checksum: Checksum, at time: Int64, owner: (uid: uid_t, gid: gid_t)? = nil) throws -> String {
        let path = "\(directory)/\(kind)-\(TimeText.compact(time))-\(checksum.hex).tar"
        let giveTo = owner.flatMap { geteuid() == 0 && $0.uid != 0 ? $0 : nil }
        do {
            try LocalFile.makeDirectories(directory, mode: 0o700)
            try LocalFile.writeAtomically(path, bytes, mode: 0o600, owner: giveTo)
        } catch {
            throw HostedEngineError.backupFailed(directory: directory, reason: error.reason)
        }
        return path
    }

    /// Backups, oldest first.
    public func list() throws -> [Backup] {
        guard LocalFile.isDirectory(directory) else { return [] }
        let names: [String]
        do {
            names = try LocalFile.list(directory)
        } catch {
            throw HostedEngineError.io(path: directory, operation: "list the backups in", errno: error.errno)
        }
        var backups: [Backup] = []
        var order: [String: Int64] = [:]
        for name in names where name.hasSuffix(".tar") {
            guard let kind = Self.kinds.first(where: { name.hasPrefix($0 + "-") }) else { continue }
            let core = name.dropFirst(kind.count + 1).dropLast(4)
            let parts = core.split(separator: "-", maxSplits: 1)
            guard parts.count == 2, let time = TimeText.parseCompact(String(parts[0])), parts[1].count == 64 else { continue }
            var status = stat()
            let path = "\(directory)/\(name)"
            guard stat(path, &status) == 0 else { continue }
            let written = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
            backups.append(Backup(kind: kind, path: path, time: time, checksum: "sha256:\(parts[1])", size: Int64(status.st_size)))
            order[path] = written
        }
        // Names carry whole seconds; the files' own times order writes within one second.
        return backups.sorted { ($0.time, order[$0.path] ?? 0, $0.path) < ($1.time, order[$1.path] ?? 0, $1.path) }
    }
}
