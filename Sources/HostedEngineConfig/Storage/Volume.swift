import Glibc

/// The configuration volume: a regular file (NFS, Gluster) or a block device (iSCSI, FC LV).
///
/// Block devices are opened with O_DIRECT: other hosts write the same LUN, and a read through
/// this host's page cache could return what the volume held before their write. Every write
/// to the volume, and to its journal, goes through one counter, so a crash can be injected
/// at any byte in tests.
public final class Volume {
    public enum Kind: Sendable {
        case regularFile, blockDevice
    }

    /// How volumes are opened and what a test wants to happen to them. The command line sets
    /// `Volume.processSettings` once at start-up; library callers pass their own.
    public struct Settings: Sendable {
        public var access: VolumeAccess
        /// Test only: stop once this many bytes have reached the volume.
        public var crashPoint: CrashPoint?
        /// Where notices about recovery go (stderr for the command line).
        public var report: @Sendable (String) -> Void

        public init(access: VolumeAccess = .caller, crashPoint: CrashPoint? = nil, report: @escaping @Sendable (String) -> Void = { _ in }) {
            self.access = access
            self.crashPoint = crashPoint
            self.report = report
        }
    }

    nonisolated(unsafe) public static var processSettings = Settings()

    public let path: String
    public let descriptor: Int32
    public let kind: Kind
    /// Bytes; for a block device, the device's size.
    public let size: Int64
    public let usesDirectIO: Bool
    public let isWritable: Bool
    public let settings: Settings
    /// The volume's owner, to give backups the same.
    public let ownerUID: uid_t
    public let ownerGID: gid_t
    /// Whose identity opens the volume's files; nil for the caller's own.
    let identity: ProcessIdentity?
    private var isLocked = false
    /// Bytes written to the volume and its journal by this instance.
    public private(set) var bytesWritten: Int64 = 0
    private var sidecar: Int32 = -1
    private var sidecarWritable = false
    private var buffered: Int32 = -1

    /// Opens `path` for reading, or for reading and writing.
    public init(path: String, forWriting: Bool, settings: Settings = Volume.processSettings) throws {
        self.settings = settings
        let identity = ProcessIdentity.forVolume(at: path, access: settings.access)
        self.identity = identity
        let opened = try Self.perform(as: identity) { try Self.open(path: path, forWriting: forWriting) }
        self.path = path
        self.descriptor = opened.descriptor
        self.kind = opened.kind
        self.usesDirectIO = opened.direct
        self.isWritable = forWriting
        self.size = opened.size
        self.ownerUID = opened.owner
        self.ownerGID = opened.group
    }

    deinit {
        close(descriptor)
        if sidecar >= 0 { close(sidecar) }
        if buffered >= 0 { close(buffered) }
    }

    private static func perform<Result>(as identity: ProcessIdentity?, _ body: () throws -> Result) throws -> Result {
        guard let identity else { return try body() }
        return try identity.perform(body)
    }

    private static func open(path: String, forWriting: Bool) throws -> (descriptor: Int32, kind: Kind, direct: Bool, size: Int64, owner: uid_t, group: gid_t) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            if code == ENOENT {
                throw HostedEngineError.volumeUnusable(path: path, reason: "it does not exist; check the path")
            }
            if code == EACCES {
                throw HostedEngineError.volumeUnusable(
                    path: path, reason: "permission denied to look at it; run as root or as the volume's owner (vdsm)")
            }
            throw HostedEngineError.io(path: path, operation: "look at the configuration volume", errno: code)
        }
        let kind: Kind
        switch status.st_mode & S_IFMT {
        case S_IFREG: kind = .regularFile
        case S_IFBLK: kind = .blockDevice
        case S_IFDIR:
            throw HostedEngineError.volumeUnusable(
                path: path, reason: "it is a directory; give the volume itself (STORAGE_ROOT/<sdUUID>/<conf_image_UUID>/<conf_volume_UUID>)")
        default:
            throw HostedEngineError.volumeUnusable(path: path, reason: "it is neither a regular file nor a block device")
        }
        let access = forWriting ? O_RDWR : O_RDONLY
        var direct = kind == .blockDevice
        var descriptor = Glibc.open(path, access | O_CLOEXEC | (direct ? LinuxConstants.directIO : 0))
        if descriptor < 0, direct, errno == EINVAL {
            // Some devices refuse O_DIRECT; read through the cache rather than not at all.
            direct = false
            descriptor = Glibc.open(path, access | O_CLOEXEC)
        }
        guard descriptor >= 0 else {
            let code = errno
            if code == EACCES || code == EPERM || code == EROFS {
                let need = forWriting ? "read and write" : "read"
                throw HostedEngineError.volumeUnusable(
                    path: path,
                    reason: "permission denied (\(String(cString: strerror(code)))); run as root or as the volume's owner (vdsm), who can \(need) it")
            }
            throw HostedEngineError.io(path: path, operation: "open the configuration volume", errno: code)
        }
        let size = kind == .blockDevice ? Int64(lseek(descriptor, 0, SEEK_END)) : Int64(status.st_size)
        return (descriptor, kind, direct, size, status.st_uid, status.st_gid)
    }

    // MARK: - Reading

    /// Reads `count` bytes at `offset` (fewer at the end of the volume).
    public func read(count: Int, at offset: Int64) throws -> [UInt8] {
        try Self.read(descriptor, count: count, at: offset, limit: size, direct: usesDirectIO, path: path)
    }

    private static func read(_ descriptor: Int32, count: Int, at offset: Int64, limit: Int64, direct: Bool, path: String) throws -> [UInt8] {
        let available = Int(max(0, min(Int64(count), limit - offset)))
        // O_DIRECT wants whole aligned blocks in an aligned buffer.
        let capacity = (available + 4095) / 4096 * 4096
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(capacity, 4096), alignment: 4096)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < available {
            let wanted = direct ? capacity - filled : available - filled
            let result = pread(descriptor, buffer.baseAddress! + filled, wanted, off_t(offset) + off_t(filled))
            if result < 0 {
                if errno == EINTR { continue }
                throw HostedEngineError.io(path: path, operation: "read the configuration volume", errno: errno)
            }
            if result == 0 { break }
            filled += result
        }
        return Array(UnsafeRawBufferPointer(rebasing: buffer[0..<min(filled, available)]))
    }

    /// Hands `range` to `body` in pieces of about a megabyte, each read at a 4096-byte boundary
    /// so that O_DIRECT accepts it.
    func forEachChunk(of range: Range<Int64>, _ body: ([UInt8]) throws -> Void) throws {
        var position = range.lowerBound
        while position < range.upperBound {
            let windowStart = position / 4096 * 4096
            let wanted = min(Int64(streamChunkSize), range.upperBound - windowStart)
            let window = try read(count: Int((wanted + 4095) / 4096 * 4096), at: windowStart)
            let from = Int(position - windowStart)
            let to = Int(min(range.upperBound - windowStart, Int64(window.count)))
            guard to > from else {
                throw HostedEngineError.io(path: path, operation: "read past the end of", errno: EIO)
            }
            try body(Array(window[from..<to]))
            position = windowStart + Int64(to)
        }
    }

    // MARK: - Writing

    /// Writes `bytes` at `offset`. With O_DIRECT, `bytes.count` must be a multiple of 512.
    public func write(_ bytes: [UInt8], at offset: Int64) throws {
        try counted(bytes) { part in
            try Self.write(part, to: self.descriptor, at: offset, path: self.path)
        } partial: { part in
            let descriptor = try self.bufferedDescriptor()
            try Self.write(part, to: descriptor, at: offset, path: self.path)
            fsync(descriptor)
        }
    }

    /// Waits until what was written is on the storage.
    public func synchronize() throws {
        try Self.synchronize(descriptor, path: path)
    }

    static func synchronize(_ descriptor: Int32, path: String) throws {
        while fsync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw HostedEngineError.io(path: path, operation: "flush to storage", errno: errno)
        }
    }

    static func write(_ bytes: [UInt8], to descriptor: Int32, at offset: Int64, path: String) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 4096)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: bytes)
        var done = 0
        while done < bytes.count {
            let result = pwrite(descriptor, buffer.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw HostedEngineError.io(path: path, operation: "write", errno: errno)
            }
            done += result
        }
    }

    /// Every byte bound for the volume or its journal passes here: with a crash point set, the
    /// write that crosses it is cut short there (written without O_DIRECT, which could not take
    /// an odd length) and the crash happens.
    func counted(_ bytes: [UInt8], write: ([UInt8]) throws -> Void, partial: ([UInt8]) throws -> Void) throws {
        guard let crash = settings.crashPoint else {
            try write(bytes)
            bytesWritten += Int64(bytes.count)
            return
        }
        let remaining = crash.afterBytes - bytesWritten
        if Int64(bytes.count) < remaining {
            try write(bytes)
            bytesWritten += Int64(bytes.count)
            return
        }
        if remaining > 0 { try partial(Array(bytes.prefix(Int(remaining)))) }
        bytesWritten = crash.afterBytes
        try crash.fire()
    }

    private func bufferedDescriptor() throws -> Int32 {
        if buffered < 0 {
            buffered = try Self.perform(as: identity) { Glibc.open(path, O_RDWR | O_CLOEXEC) }
            guard buffered >= 0 else { throw HostedEngineError.io(path: path, operation: "open", errno: errno) }
        }
        return buffered
    }

    // MARK: - The journal's place

    /// Volumes this large keep their journal in their last blocks; smaller file volumes (the
    /// 20480-byte files upstream's dd leaves) in a file beside them.
    static let minimumSizeForInVolumeJournal: Int64 = 1 << 20

    var journalLocation: JournalLocation {
        if size >= Self.minimumSizeForInVolumeJournal {
            return .inVolume(headerOffset: size / 4096 * 4096 - 4096)
        }
        return kind == .regularFile ? .sidecar(path: path + ".hosted-engine-journal") : .none
    }

    /// Reads the journal area; nil when the volume has none (no sidecar file yet).
    func readJournal(count: Int, at offset: Int64) throws -> [UInt8]? {
        switch journalLocation {
        case .none:
            return nil
        case .inVolume:
            return try read(count: count, at: offset)
        case let .sidecar(sidecarPath):
            if sidecar < 0 {
                let descriptor = try Self.perform(as: identity) { Glibc.open(sidecarPath, O_RDONLY | O_CLOEXEC) }
                if descriptor < 0 {
                    if errno == ENOENT { return nil }
                    throw HostedEngineError.io(path: sidecarPath, operation: "read the journal", errno: errno)
                }
                sidecar = descriptor
            }
            return try Self.read(sidecar, count: count, at: offset, limit: Int64.max, direct: false, path: sidecarPath)
        }
    }

    func writeJournal(_ bytes: [UInt8], at offset: Int64) throws {
        switch journalLocation {
        case .none:
            throw HostedEngineError.volumeUnusable(path: path, reason: "it is a block device too small to hold a write journal")
        case .inVolume:
            try write(bytes, at: offset)
        case let .sidecar(sidecarPath):
            let descriptor = try writableSidecar(sidecarPath)
            try counted(bytes) { part in
                try Self.write(part, to: descriptor, at: offset, path: sidecarPath)
            } partial: { part in
                try Self.write(part, to: descriptor, at: offset, path: sidecarPath)
                fsync(descriptor)
            }
        }
    }

    func synchronizeJournal() throws {
        switch journalLocation {
        case .none: return
        case .inVolume: try synchronize()
        case let .sidecar(sidecarPath):
            try Self.synchronize(try writableSidecar(sidecarPath), path: sidecarPath)
            LocalFile.syncDirectory(LocalFile.parent(of: sidecarPath))
        }
    }

    private func writableSidecar(_ sidecarPath: String) throws -> Int32 {
        if sidecar >= 0, sidecarWritable { return sidecar }
        // Created beside the volume, by the volume's owner, with the volume's mode: no looser.
        let descriptor = try Self.perform(as: identity) { () -> Int32 in
            let created = Glibc.open(sidecarPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if created >= 0 {
                var status = stat()
                if fstat(self.descriptor, &status) == 0 { fchmod(created, status.st_mode & 0o660) }
                return created
            }
            return errno == EEXIST ? Glibc.open(sidecarPath, O_RDWR | O_CLOEXEC) : created
        }
        guard descriptor >= 0 else {
            throw HostedEngineError.io(path: sidecarPath, operation: "open the write journal", errno: errno)
        }
        if sidecar >= 0 { close(sidecar) }
        sidecar = descriptor
        sidecarWritable = true
        return descriptor
    }

    // MARK: - Locking

    /// Takes an exclusive open-file-description lock on the whole volume, waiting up to
    /// `timeout` seconds. The lock ends with `unlock()` or when this volume is closed.
    public func lockExclusively(timeout: Double) throws {
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 0
        let deadline = Self.monotonicSeconds() + timeout
        while true {
            if fcntl(descriptor, LinuxConstants.setOpenFileDescriptionLock, &lock) == 0 {
                isLocked = true
                return
            }
            let code = errno
            switch code {
            case EINTR:
                continue
            case EAGAIN, EACCES:
                if Self.monotonicSeconds() >= deadline {
                    throw HostedEngineError.locked(path: path, waitedSeconds: timeout)
                }
                usleep(10_000)
            default:
                throw HostedEngineError.io(path: path, operation: "lock the configuration volume", errno: code)
            }
        }
    }

    public func unlock() {
        guard isLocked else { return }
        var lock = flock()
        lock.l_type = Int16(F_UNLCK)
        lock.l_whence = Int16(SEEK_SET)
        _ = fcntl(descriptor, LinuxConstants.setOpenFileDescriptionLock, &lock)
        isLocked = false
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// Where a volume keeps its write journal.
enum JournalLocation: Equatable {
    /// A block device too small for one.
    case none
    /// The journal's header is the volume's last 4096-byte block; its data comes just before.
    case inVolume(headerOffset: Int64)
    /// A file beside a small file volume; header at its start, data after.
    case sidecar(path: String)
}

/// Test only: a write that stops after a given number of bytes, as a crash would.
public struct CrashPoint: Sendable {
    public enum Action: Sendable {
        /// Exit at once with status 137, as SIGKILL would (`HE_TEST_CRASH_AFTER_BYTES`).
        case exitProcess
        /// Throw `SimulatedCrash`, for tests that crash many times in one process.
        case throwError
    }

    public let afterBytes: Int64
    public let action: Action

    public init(afterBytes: Int64, action: Action) {
        self.afterBytes = afterBytes
        self.action = action
    }

    func fire() throws -> Never {
        switch action {
        case .exitProcess: _exit(137)
        case .throwError: throw SimulatedCrash()
        }
    }
}

public struct SimulatedCrash: Error, Equatable {}

/// Linux values Swift's Glibc module does not show (they need _GNU_SOURCE).
enum LinuxConstants {
    /// F_OFD_SETLK: the same value on every Linux architecture.
    static let setOpenFileDescriptionLock: Int32 = 37

    /// O_DIRECT differs between architectures.
    #if arch(arm64) || arch(arm)
    static let directIO: Int32 = 0o200000
    #elseif arch(powerpc64le) || arch(powerpc64)
    static let directIO: Int32 = 0o400000
    #else
    static let directIO: Int32 = 0o40000
    #endif
}
