import Glibc
import SystemPackage

/// A folder of archives and files, each saved just before a write replaced it, named by the
/// kind, the time and the checksum: `he-conf-20261125T211542Z-<sha256 hex>.tar` (the
/// configuration archive), `ovf-store-...tar` (an OVF_STORE's), `he-local-...conf` (this host's
/// hosted-engine.conf), `ha-conf-...conf` (its ha.conf), mode 0600. The kinds are the callers'
/// words; the store only keeps them in the names. Beside each, `<name>.origin` holds the path
/// of the volume or file it came from, so that it can be put back there.
public struct BackupStore: Sendable {
    /// Root's alone (0700): the HA agents' folder, where versions before 0.14 kept backups, is
    /// vdsm's, and vdsm could swap a folder there for a link into root's files.
    public static let defaultDirectory = "/var/lib/hosted-engine-config/backups"
    /// Where versions before 0.14 kept them: still listed and restored from (with every check),
    /// never written to.
    public static let formerDirectory = "/var/lib/ovirt-hosted-engine-ha/backups"

    public let directory: String
    /// Folders only read, for backups saved before (the former default).
    public let readOnlyDirectories: [String]

    public init(directory: String, readOnlyDirectories: [String] = []) {
        self.directory = directory
        self.readOnlyDirectories = readOnlyDirectories
    }

    /// The store `--backup-dir`, else `HE_BACKUP_DIR`, else the default, which also reads the
    /// former default's backups.
    public init(option: String?, environment: [String: String]) {
        if let named = [option, environment["HE_BACKUP_DIR"]].compactMap({ $0 }).first(where: { !$0.isEmpty }) {
            self.init(directory: named)
        } else {
            self.init(directory: Self.defaultDirectory, readOnlyDirectories: [Self.formerDirectory])
        }
    }

    public struct Backup: Sendable, Equatable {
        /// `he-conf`, `ovf-store`, `he-local` or `ha-conf`.
        public let kind: String
        public let path: String
        public let time: Int64
        public let checksum: String
        public let size: Int64
        /// The volume or file it came from, when recorded (backups before 0.11 do not say).
        public let origin: String?

        public var json: JSONText {
            .object([
                ("kind", .string(kind)), ("path", .string(path)), ("time", .string(TimeText.readable(time))),
                ("checksum", .string(checksum)), ("bytes", .number(size)), ("origin", origin.map(JSONText.string) ?? .null),
            ])
        }
    }

    /// Saves an archive given as a stream (read from the volume as it is copied), fsynced, and
    /// returns its path. Fails rather than let a write go ahead without a backup. When root
    /// saves it, it gets `owner` (the volume's), never root's.
    func save(
        kind: String, bytes: some ByteStream, checksum: Checksum, at time: Int64, owner: (uid: uid_t, gid: gid_t)? = nil,
        fileExtension: String = "tar", origin: String? = nil
    ) throws -> String {
        let path = "\(directory)/\(kind)-\(TimeText.compact(time))-\(checksum.hex).\(fileExtension)"
        let giveTo = owner.flatMap { geteuid() == 0 && $0.uid != 0 ? $0 : nil }
        do {
            // The folders that exist are checked before any is made, and all of them after.
            if let problem = Self.problem(withFolder: directory, allowMissing: true) {
                throw HostedEngineError.backupFailed(directory: directory, problem: problem)
            }
            try LocalFile.makeDirectories(directory, mode: 0o700)
            if let problem = Self.problem(withFolder: directory) {
                throw HostedEngineError.backupFailed(directory: directory, problem: problem)
            }
            // Checked again on the descriptor the files are made relative to: the folder checked is
            // the folder written, whatever is renamed meanwhile.
            let folder = try SystemCalls.open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            defer { close(folder) }
            var status = stat()
            guard fstat(folder, &status) == 0, status.st_uid == 0 || status.st_uid == geteuid(), status.st_mode & 0o022 == 0 else {
                throw HostedEngineError.backupFailed(directory: directory, problem: .changedWhileChecked(directory))
            }
            let name = String(path.dropFirst(directory.count + 1))
            try LocalFile.writeAtomically(in: folder, name: name, bytes, mode: 0o600, owner: giveTo)
            if let origin {
                try LocalFile.writeAtomically(
                    in: folder, name: name + Self.originSuffix, Array((LocalFile.absolute(origin) + "\n").utf8), mode: 0o600,
                    owner: giveTo)
            }
        } catch let error as Errno {
            throw HostedEngineError.backupFailed(directory: directory, problem: .cannotWrite(errno: error.rawValue))
        }
        LocalFile.removeStaleTemporaries(in: directory)
        return path
    }

    /// Why root must not keep backups in `folder`, or nil: every folder on its path must be a
    /// real folder (no link) of root's or the caller's that no one else may write in (or, above
    /// the backup folder, with the sticky bit, as /tmp).
    /// `allowMissing`: folders not made yet are no problem (the check stops at the first).
    static func problem(withFolder folder: String, allowMissing: Bool = false) -> BackupFolderProblem? {
        let absolute = LocalFile.absolute(folder)
        var path = ""
        let parts = absolute.split(separator: "/")
        for (index, part) in parts.enumerated() {
            path += "/" + part
            var status = stat()
            guard lstat(path, &status) == 0 else {
                return allowMissing && errno == ENOENT ? nil : .cannotLookAt(path, errno: errno)
            }
            guard status.st_mode & S_IFMT == S_IFDIR else {
                return status.st_mode & S_IFMT == S_IFLNK ? .link(path) : .notAFolder(path)
            }
            guard status.st_uid == 0 || status.st_uid == geteuid() else {
                return .othersFolder(path, owner: status.st_uid)
            }
            // Sticky folders (/tmp) keep others from renaming what is not theirs; not the backup folder itself.
            let last = index == parts.count - 1
            if status.st_mode & 0o022 != 0, last || status.st_mode & S_ISVTX == 0 {
                return .writableByOthers(path, mode: status.st_mode)
            }
        }
        return nil
    }

    static let originSuffix = ".origin"

    /// Where the backup at `path` came from, if recorded.
    static func origin(ofBackup path: String) -> String? {
        guard let bytes = try? LocalFile.read(path + originSuffix, limit: 8192, followLink: false),
            let text = String(validating: bytes, as: UTF8.self)
        else { return nil }
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.isEmpty ? nil : line
    }

    /// Backups, oldest first: this store's, and those kept where versions before 0.14 kept them.
    public func list() throws -> [Backup] {
        var backups: [Backup] = []
        var order: [String: Int64] = [:]
        for folder in [directory] + readOnlyDirectories {
            try Self.list(folder, into: &backups, order: &order)
        }
        // Names carry whole seconds; the files' own times order writes within one second.
        return backups.sorted { ($0.time, order[$0.path] ?? 0, $0.path) < ($1.time, order[$1.path] ?? 0, $1.path) }
    }

    private static func list(_ directory: String, into backups: inout [Backup], order: inout [String: Int64]) throws {
        guard LocalFile.isDirectory(directory) else { return }
        let names: [String]
        do {
            names = try LocalFile.list(directory)
        } catch {
            throw HostedEngineError.io(path: directory, operation: "list the backups in", errno: error.rawValue)
        }
        for name in names {
            guard let (kind, time, hex) = Self.parse(name) else { continue }
            var status = stat()
            let path = "\(directory)/\(name)"
            // A link or anything but a file is not a backup this tool saved.
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            let written = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
            backups.append(
                Backup(
                    kind: kind, path: path, time: time, checksum: "sha256:\(hex)", size: Int64(status.st_size),
                    origin: origin(ofBackup: path)))
            order[path] = written
        }
    }

    /// `<kind>-<time>-<64 hex digits>.tar` (or `.conf`), the kind of lowercase letters and hyphens.
    public static func parse(_ name: String) -> (kind: String, time: Int64, hex: String)? {
        let suffix = [".tar", ".conf"].first { name.hasSuffix($0) }
        guard let suffix else { return nil }
        let bytes = Array(name.utf8.dropLast(suffix.utf8.count))
        let tail = 1 + 16 + 1 + 64
        guard bytes.count > tail else { return nil }
        let hex = bytes[(bytes.count - 64)...]
        let time = bytes[(bytes.count - 81)..<(bytes.count - 65)]
        let kind = bytes[..<(bytes.count - tail)]
        guard bytes[bytes.count - 82] == UInt8(ascii: "-"), bytes[bytes.count - 65] == UInt8(ascii: "-"),
            hex.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
            kind.allSatisfy({ (97...122).contains($0) || $0 == UInt8(ascii: "-") }),
            let seconds = TimeText.parseCompact(String(decoding: time, as: UTF8.self))
        else { return nil }
        return (String(decoding: kind, as: UTF8.self), seconds, String(decoding: hex, as: UTF8.self))
    }
}

extension BackupStore {
    /// Removes all but the newest `keep` backups of each kind and origin (the configuration
    /// archive, each OVF_STORE copy, each local file), with what is saved beside them; returns
    /// the ones removed, oldest first. With `dryRun`, returns them and removes nothing.
    public func prune(keep: Int, dryRun: Bool = false) throws -> [Backup] {
        var groups: [String: [Backup]] = [:]
        // Only this store's own: the former folder's are read, never removed.
        for backup in try list() where backup.path.hasPrefix(directory + "/") {
            groups[backup.kind + "\u{0}" + (backup.origin ?? ""), default: []].append(backup)
        }
        let removed = groups.values.flatMap { $0.dropLast(keep) }.sorted { ($0.time, $0.path) < ($1.time, $1.path) }
        guard !dryRun else { return removed }
        LocalFile.removeStaleTemporaries(in: directory)
        for backup in removed {
            for path in [backup.path, backup.path + Self.originSuffix] {
                do {
                    try SystemCalls.remove(path)
                } catch {
                    if error != .noSuchFileOrDirectory {
                        throw HostedEngineError.io(path: path, operation: "remove the backup", errno: error.rawValue)
                    }
                }
            }
        }
        do throws(Errno) {
            try LocalFile.syncDirectory(directory)
        } catch {
            throw HostedEngineError.io(path: directory, operation: "flush the removals from", errno: error.rawValue)
        }
        return removed
    }
}
