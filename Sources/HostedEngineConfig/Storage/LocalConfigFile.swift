import Glibc
import Logging

/// A configuration file of this host (its hosted-engine.conf, ha.conf), changed the way the
/// archive is: under a lock against a second writer, the old bytes saved as a backup first,
/// the new ones written beside the file, fsynced and renamed over it with its owner, group and
/// mode, so that a crash leaves the old file or the new one.
public struct LocalConfigFile: Sendable {
    /// Larger than any hosted-engine.conf; a bigger file is not one.
    static let sizeLimit = 1 << 20

    public let path: String
    /// The backup kind its copies are saved under (`he-local`, `ha-conf`).
    public let backupKind: String
    /// The option that names the file, for messages (`--he-conf FILE`).
    public let option: String
    /// Where `--verbose` hears of the read, the lock, the backup and the write.
    public let logger: Logger

    public init(
        path: String, backupKind: String, option: String,
        logger: Logger = Logger(label: "hosted-engine", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.path = path
        self.backupKind = backupKind
        self.option = option
        self.logger = logger
    }

    /// The file's bytes and what a rewrite keeps.
    public struct Contents: Sendable, Equatable {
        public let bytes: [UInt8]
        public let checksum: Checksum
        public let owner: uid_t
        public let group: gid_t
        public let mode: mode_t
    }

    public func read() throws -> Contents {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw unreadable(errno) }
        defer { close(descriptor) }
        return try read(descriptor)
    }

    /// Under the file's lock: reads it, asks `change` for its new bytes (nil leaves it as it is),
    /// saves the old bytes to `backups`, and writes the new. Returns the backup's path and what
    /// the file held, or nil when nothing was written. `checkpoint` is told each step of the
    /// write (tests crash there).
    public func update(
        backups: BackupStore, lockTimeout: Double, now: Int64, checkpoint: @escaping (AtomicWriteStep) -> Void = { _ in },
        _ change: (Contents) throws -> [UInt8]?
    ) throws -> (backup: String, before: Contents)? {
        // A symbolic link stays one: the file it points to is replaced.
        let target = LocalFile.realPath(path) ?? path
        let descriptor = try lock(target, timeout: lockTimeout)
        defer { close(descriptor) }
        logger.info("Locked \(path) (flock)")
        let before = try read(descriptor)
        guard let after = try change(before) else { return nil }
        let name = String(target.split(separator: "/").last ?? "")
        let prefix = ".\(name).hosted-engine-"
        removeLeftovers(in: LocalFile.parent(of: target), prefix: prefix)
        let backup = try backups.save(
            kind: backupKind, bytes: before.bytes, checksum: before.checksum, at: now, fileExtension: "conf", origin: target)
        logger.info("Saved the old file as \(backup)")
        let keepOwner = before.owner != geteuid() || before.group != getegid()
        do {
            try LocalFile.writeAtomically(
                target, after, mode: before.mode & 0o7777, owner: keepOwner ? (before.owner, before.group) : nil,
                temporaryPrefix: prefix, checkpoint: checkpoint)
        } catch {
            throw HostedEngineError.localFile(
                path: path, problem: "the new file cannot be written beside it (\(error.reason)); it was left as it was",
                fix: "check the folder's permissions and free space, then run the command again")
        }
        logger.info(
            "Wrote \(path): \(after.count) bytes, \(Checksum(of: after)) (a temporary file beside it, fsynced, renamed over it; the folder fsynced)"
        )
        return (backup, before)
    }

    /// Opens `target` and takes its exclusive flock (the lock upstream's own writer takes),
    /// waiting up to `timeout` seconds. A file renamed over while waiting is opened again, so
    /// the lock is always on the file the path names.
    private func lock(_ target: String, timeout: Double) throws -> Int32 {
        let deadline = TimeText.monotonicSeconds() + timeout
        while true {
            let descriptor = open(target, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw unreadable(errno) }
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else {
                    let code = errno
                    close(descriptor)
                    throw HostedEngineError.io(path: path, operation: "lock", errno: code)
                }
                if TimeText.monotonicSeconds() >= deadline {
                    close(descriptor)
                    throw HostedEngineError.fileLocked(path: path, waitedSeconds: timeout)
                }
                usleep(10_000)
            }
            var held = stat()
            var named = stat()
            if fstat(descriptor, &held) == 0, stat(target, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                return descriptor
            }
            close(descriptor)
        }
    }

    private func read(_ descriptor: Int32) throws -> Contents {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw unreadable(errno) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw HostedEngineError.localFile(path: path, problem: "it is not a regular file", fix: "point \(option) at the file itself")
        }
        guard status.st_size <= Self.sizeLimit else {
            throw HostedEngineError.localFile(
                path: path, problem: "it is larger than 1 MiB, so it is not a configuration file", fix: "point \(option) at the right file")
        }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size) + 1)
        let count: Int
        do {
            count = try SystemCalls.read(descriptor, into: &bytes, at: 0)
        } catch {
            throw unreadable(error.rawValue)
        }
        let read = Array(bytes.prefix(count))
        logger.info("Read \(path): \(read.count) bytes, \(Checksum(of: read))")
        return Contents(bytes: read, checksum: Checksum(of: read), owner: status.st_uid, group: status.st_gid, mode: status.st_mode)
    }

    /// Temporary files that a crashed write left beside the file.
    private func removeLeftovers(in directory: String, prefix: String) {
        for name in (try? LocalFile.list(directory)) ?? [] where name.hasPrefix(prefix) {
            unlink(directory + "/" + name)
        }
    }

    private func unreadable(_ code: Int32) -> HostedEngineError {
        .localFile(
            path: path, problem: "it cannot be read (\(String(cString: strerror(code))))",
            fix: "point \(option) at this host's file, or run as a user who can read it")
    }
}
