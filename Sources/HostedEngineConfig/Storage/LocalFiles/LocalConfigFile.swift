import Glibc
import Logging
import SystemPackage

/// A configuration file of this host (its hosted-engine.conf, ha.conf), written the way its
/// other writer writes it: vdsm, through upstream's `ConfigFile.set_and_write`
/// (env/config_file.py), opens it `r+`, takes `flock`, re-reads it by path, writes every line at
/// offset 0 and truncates. So this tool writes in place too, under the same flock, after
/// reading the file again: a writer waiting on the lock then writes into the file that holds
/// this change, never into an inode renamed away. For crash safety a record of the write (old
/// and new bytes, `LocalWriteRecord`) is put beside the file first, and the next command that
/// reads or writes the file completes a write that was cut short; the old bytes are saved as a
/// backup as well.
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

    /// The file as it is, after completing a write of this tool that was cut short (when its
    /// lock can be had at once; a writer holding it is finishing its own write).
    public func read() throws -> Contents {
        if LocalFile.exists(LocalWriteRecord.path(for: path)), let descriptor = try? lock(timeout: 0) {
            defer { close(descriptor) }
            try settle(descriptor)
            return try read(descriptor)
        }
        let descriptor: Int32
        do {
            descriptor = try SystemCalls.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
        } catch {
            throw unreadable(error.rawValue)
        }
        defer { close(descriptor) }
        return try read(descriptor)
    }

    /// Under the file's lock: completes a write of this tool that was cut short, reads the file,
    /// asks `change` for its new bytes (nil leaves it as it is), saves the old bytes to
    /// `backups`, and writes the new in place. Returns the backup's path and what the file held,
    /// or nil when nothing was written. `checkpoint` is told each step (tests crash there).
    public func update(
        backups: BackupStore, lockTimeout: Double, now: Int64, checkpoint: @escaping (InPlaceWriteStep) -> Void = { _ in },
        _ change: (Contents) throws -> [UInt8]?
    ) throws -> (backup: String, before: Contents)? {
        let descriptor = try lock(timeout: lockTimeout)
        defer { close(descriptor) }
        logger.info("Locked \(path) (flock, as upstream's writer takes it)")
        try settle(descriptor)
        let before = try read(descriptor)
        guard let after = try change(before) else { return nil }
        removeLeftovers()
        let backup = try backups.save(
            kind: backupKind, bytes: before.bytes, checksum: before.checksum, at: now, fileExtension: "conf", origin: path)
        logger.info("Saved the old file as \(backup)")
        let record = LocalWriteRecord(old: before.bytes, new: after, time: now)
        do throws(Errno) {
            try LocalFile.writeAtomically(
                LocalWriteRecord.path(for: path), record.bytes, mode: 0o600, temporaryPrefix: ".\(name).hosted-engine-tmp-")
        } catch {
            throw HostedEngineError.localFile(path: path, problem: .recordNotWritten(why: error.reason))
        }
        checkpoint(.recordWritten)
        do throws(Errno) {
            try writeInPlace(descriptor, after, checkpoint: checkpoint)
        } catch {
            throw HostedEngineError.localFile(path: path, problem: .stoppedPartWay(why: error.reason))
        }
        try finish()
        logger.info("Wrote \(path) in place: \(after.count) bytes, \(Checksum(of: after)) (its record written first, the file fsynced)")
        return (backup, before)
    }

    /// Writes `bytes` over the file from offset 0, truncates it to their length, fsyncs it.
    private func writeInPlace(_ descriptor: Int32, _ bytes: [UInt8], checkpoint: (InPlaceWriteStep) -> Void) throws(Errno) {
        let half = bytes.count / 2
        try SystemCalls.writeAll(descriptor, Array(bytes[..<half]), at: 0)
        checkpoint(.partlyWritten)
        try SystemCalls.writeAll(descriptor, Array(bytes[half...]), at: Int64(half))
        checkpoint(.written)
        try SystemCalls.truncate(descriptor, to: Int64(bytes.count))
        try SystemCalls.synchronize(descriptor)
        checkpoint(.synchronized)
    }

    /// The write is on the storage: its record goes, durably.
    private func finish() throws {
        do throws(Errno) {
            do {
                try SystemCalls.remove(LocalWriteRecord.path(for: path))
            } catch {
                if error != .noSuchFileOrDirectory { throw error }
            }
            try LocalFile.syncDirectory(LocalFile.parent(of: path))
        } catch {
            throw HostedEngineError.localFile(path: path, problem: .recordRemovalNotDurable(why: error.reason))
        }
    }

    /// The file's name in its folder.
    private var name: String { path.split(separator: "/").last.map(String.init) ?? path }

    /// Under the lock: a record left beside the file is a write cut short, completed when the
    /// file holds the old bytes or the new ones' start over them, and dropped when the file
    /// changed since (another writer's change is kept) or the record is not whole.
    private func settle(_ descriptor: Int32) throws {
        let recordPath = LocalWriteRecord.path(for: path)
        guard let bytes = try? LocalFile.read(recordPath, limit: 2 * Self.sizeLimit + 4096, followLink: false) else { return }
        guard let record = LocalWriteRecord(bytes: bytes) else {
            logger.info("Removed \(recordPath): not a whole record, so its write never began")
            try? SystemCalls.remove(recordPath)
            return
        }
        let current = try read(descriptor).bytes
        switch record.finding(current) {
        case .complete:
            logger.info("The write recorded in \(recordPath) had ended; removed its record")
        case .interrupted:
            do throws(Errno) {
                try writeInPlace(descriptor, record.new) { _ in }
            } catch {
                throw HostedEngineError.localFile(
                    path: path, problem: .interruptedWriteNotCompleted(at: record.time, why: error.reason))
            }
            reportNotice("Recovered \(path): a write interrupted at \(TimeText.readable(record.time)) was completed from its record.")
        case .changedSince:
            reportNotice(
                "\(path): a write of this tool interrupted at \(TimeText.readable(record.time)) was left undone, since another writer changed the file after it; its old bytes are in the backups (hosted-engine --list-backups)."
            )
        }
        try finish()
    }

    private func reportNotice(_ text: String) {
        logger.notice("\(text)")
    }

    /// Opens the file for writing and takes its exclusive flock (the lock upstream's own writer
    /// takes), waiting up to `timeout` seconds. A file renamed over while waiting is opened
    /// again, so the lock is always on the file the path names. A link as the last component
    /// is refused (ELOOP): the folder may be vdsm's, and root would write where it points.
    private func lock(timeout: Double) throws -> Int32 {
        let deadline = TimeText.monotonicSeconds() + timeout
        while true {
            let descriptor: Int32
            do {
                descriptor = try SystemCalls.open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
            } catch {
                let code = error.rawValue
                throw code == EACCES || code == EROFS || code == ELOOP ? unwritable(code) : unreadable(code)
            }
            while true {
                do throws(Errno) {
                    try SystemCalls.lockWhole(descriptor)
                    break
                } catch .wouldBlock {
                } catch {
                    close(descriptor)
                    throw HostedEngineError.io(path: path, operation: "lock", errno: error.rawValue)
                }
                if TimeText.monotonicSeconds() >= deadline {
                    var locked = stat()
                    let holder = fstat(descriptor, &locked) == 0 ? LockHolderSearch.process(holding: locked) : nil
                    close(descriptor)
                    throw HostedEngineError.fileLocked(path: path, waitedSeconds: timeout, holder: holder)
                }
                usleep(10_000)
            }
            var held = stat()
            var named = stat()
            if fstat(descriptor, &held) == 0, lstat(path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                return descriptor
            }
            close(descriptor)
        }
    }

    private func read(_ descriptor: Int32) throws -> Contents {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw unreadable(errno) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw HostedEngineError.localFile(path: path, problem: .notARegularFile(option: option))
        }
        // oVirt leaves these files to root or vdsm; another user's file is not this host's.
        guard status.st_uid == 0 || status.st_uid == ProcessIdentity.vdsm.uid || status.st_uid == geteuid() else {
            throw HostedEngineError.localFile(
                path: path, problem: .notRootsOrVdsms(owner: status.st_uid, path: path, option: option))
        }
        guard status.st_size <= Self.sizeLimit else {
            throw HostedEngineError.localFile(path: path, problem: .tooLarge(option: option))
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

    /// Temporary files that an earlier version's crashed write, or a crashed record's, left
    /// beside the file (`.NAME.hosted-engine-*`, but for the record itself).
    private func removeLeftovers() {
        let directory = LocalFile.parent(of: path)
        let record = LocalWriteRecord.path(for: path).split(separator: "/").last.map(String.init)
        for leftover in (try? LocalFile.list(directory)) ?? [] where leftover.hasPrefix(".\(name).hosted-engine-") && leftover != record {
            // Best effort: what is left is removed by the next write.
            try? SystemCalls.remove(directory + "/" + leftover)
        }
    }

    /// A link in place of the file: never followed.
    private var followedLink: HostedEngineError { .localFile(path: path, problem: .link(option: option)) }

    private func unwritable(_ code: Int32) -> HostedEngineError {
        code == ELOOP ? followedLink : .localFile(path: path, problem: .cannotOpenForWriting(errno: code))
    }

    private func unreadable(_ code: Int32) -> HostedEngineError {
        code == ELOOP ? followedLink : .localFile(path: path, problem: .cannotRead(errno: code, option: option))
    }
}
