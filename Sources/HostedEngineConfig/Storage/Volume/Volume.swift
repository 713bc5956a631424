import Glibc
import Logging
import SystemPackage

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

    public let path: String
    /// Where `path` leads: the file opened, beside which the sidecars are.
    let placement: VolumePlacement
    public var resolvedPath: String { placement.resolved }
    /// The opened file's device and inode, to know it again when it is reopened.
    let device: (dev_t, ino_t)
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
    var isLocked = false
    /// The test's stand-in for the volume's lock (`Settings.hostLockDirectory`), once opened.
    var hostLock: Int32 = -1
    /// The sanlock lease held with the lock, when there is one.
    var crossHostLease: CrossHostLease?
    /// Bytes written to the volume and its journal by this instance.
    public private(set) var bytesWritten: Int64 = 0
    /// The journal file beside a small file volume, once opened.
    var sidecar: Int32 = -1
    var sidecarWritable = false
    /// The shared history's file beside a small file volume, once opened.
    var historySidecar: Int32 = -1
    var historySidecarWritable = false
    /// The volume opened again without O_DIRECT, for the odd-length write of a crash point.
    var buffered: Int32 = -1

    /// Opens `path` for reading, or for reading and writing.
    public init(path: String, forWriting: Bool, settings: Settings = Settings()) throws {
        self.settings = settings
        let identity = ProcessIdentity.forVolumes(access: settings.access)
        self.identity = identity
        let opened = try Self.perform(as: identity) {
            try Self.open(path: path, forWriting: forWriting, places: settings.storagePlaces, identity: identity)
        }
        self.path = path
        self.placement = opened.placement
        self.descriptor = opened.descriptor
        self.kind = opened.kind
        self.usesDirectIO = opened.direct
        self.isWritable = forWriting
        self.size = opened.size
        self.ownerUID = opened.owner
        self.ownerGID = opened.group
        self.device = opened.device
        let who = identity.map { "as \($0.uid):\($0.gid) (vdsm)" } ?? "as the caller"
        let through = opened.placement.followedALink ? ", through links to \(opened.placement.resolved)" : ""
        settings.logger.info(
            "Opened \(path) for \(forWriting ? "reading and writing" : "reading"): \(opened.kind == .blockDevice ? "block device" : "regular file"), \(opened.size) bytes, \(opened.direct ? "O_DIRECT, " : "")\(who)\(through)"
        )
    }

    deinit {
        crossHostLease?.release()
        close(descriptor)
        if sidecar >= 0 { close(sidecar) }
        if historySidecar >= 0 { close(historySidecar) }
        if buffered >= 0 { close(buffered) }
        if hostLock >= 0 { close(hostLock) }
    }

    /// Whether owner, group and mode let `uid`/`gid` read (and write) a file.
    static func modeAllows(_ status: stat, uid: uid_t, gid: gid_t, writing: Bool) -> Bool {
        let need: mode_t = writing ? 0o6 : 0o4
        if status.st_uid == uid { return (status.st_mode >> 6) & need == need }
        if status.st_gid == gid { return (status.st_mode >> 3) & need == need }
        return status.st_mode & need == need
    }

    static func perform<Result>(as identity: ProcessIdentity?, _ body: () throws -> Result) throws -> Result {
        guard let identity else { return try body() }
        return try identity.perform(body)
    }

    /// Resolves `path`, refuses a link that leads outside oVirt's storage, then opens what it
    /// leads to without following a link again and checks, on the descriptor, that it is a
    /// regular file or a block device and, when the tool does its I/O as vdsm, vdsm's.
    private static func open(path: String, forWriting: Bool, places: [String], identity: ProcessIdentity?) throws -> (
        descriptor: Int32, placement: VolumePlacement, kind: Kind, direct: Bool, size: Int64, owner: uid_t, group: gid_t,
        device: (dev_t, ino_t)
    ) {
        let placement = try VolumePlacement.resolve(path)
        var status = stat()
        guard stat(placement.resolved, &status) == 0 else {
            throw HostedEngineError.io(path: path, operation: "look at the configuration volume", errno: errno)
        }
        let kind: Kind
        switch status.st_mode & S_IFMT {
        case S_IFREG: kind = .regularFile
        case S_IFBLK: kind = .blockDevice
        case S_IFDIR:
            throw HostedEngineError.volumeUnusable(path: path, problem: .directory)
        default:
            throw HostedEngineError.volumeUnusable(path: path, problem: .notFileOrDevice)
        }
        try placement.requireInside(places, isBlockDevice: kind == .blockDevice)
        let access = forWriting ? O_RDWR : O_RDONLY
        let flags = access | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK
        var direct = kind == .blockDevice
        var opening: Result<Int32, Errno> = Result { () throws(Errno) in
            try SystemCalls.open(placement.resolved, flags | (direct ? LinuxConstants.directIO : 0))
        }
        if direct, case .failure(.invalidArgument) = opening {
            // Some devices refuse O_DIRECT; read through the cache rather than not at all.
            direct = false
            opening = Result { () throws(Errno) in try SystemCalls.open(placement.resolved, flags) }
        }
        let descriptor: Int32
        switch opening {
        case let .success(opened):
            descriptor = opened
        case let .failure(failure):
            let code = failure.rawValue
            let need: VolumeProblem.Access = forWriting ? .readAndWrite : .read
            // The real cause, not "permission denied", when the caller is root (issue: it named root).
            if code == EROFS {
                throw HostedEngineError.volumeUnusable(path: path, problem: .readOnlyFilesystem(resolved: placement.resolved))
            }
            if code == EPERM, identity != nil || geteuid() == 0 {
                throw HostedEngineError.volumeUnusable(path: path, problem: .immutable(resolved: placement.resolved))
            }
            if let identity, code == EACCES, Self.modeAllows(status, uid: identity.uid, gid: identity.gid, writing: forWriting) {
                throw HostedEngineError.volumeUnusable(
                    path: path,
                    problem: .deniedDespiteMode(
                        need, owner: status.st_uid, group: status.st_gid, mode: status.st_mode, resolved: placement.resolved))
            }
            if identity != nil, code == EACCES || code == EPERM {
                throw HostedEngineError.volumeUnusable(
                    path: path,
                    problem: .vdsmCannotAccess(
                        need, owner: status.st_uid, group: status.st_gid, mode: status.st_mode, resolved: placement.resolved))
            }
            if code == EACCES || code == EPERM || code == EROFS {
                throw HostedEngineError.volumeUnusable(path: path, problem: .permissionDenied(need, errno: code))
            }
            if code == ELOOP { throw HostedEngineError.volumeUnusable(path: path, problem: .replacedByLink) }
            throw HostedEngineError.io(path: path, operation: "open the configuration volume", errno: code)
        }
        var opened = stat()
        guard fstat(descriptor, &opened) == 0, opened.st_mode & S_IFMT == status.st_mode & S_IFMT else {
            close(descriptor)
            throw HostedEngineError.volumeUnusable(path: path, problem: .replacedWhileOpening)
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        if let identity, opened.st_uid != identity.uid {
            close(descriptor)
            throw HostedEngineError.volumeUnusable(
                path: path, problem: .notVdsms(owner: opened.st_uid, vdsm: identity.uid, resolved: placement.resolved))
        }
        let size = kind == .blockDevice ? Int64(lseek(descriptor, 0, SEEK_END)) : Int64(opened.st_size)
        return (descriptor, placement, kind, direct, size, opened.st_uid, opened.st_gid, (opened.st_dev, opened.st_ino))
    }

    // MARK: - Reading

    /// Reads `count` bytes at `offset` (fewer at the end of the volume).
    public func read(count: Int, at offset: Int64) throws -> [UInt8] {
        let bytes = try Self.read(descriptor, count: count, at: offset, limit: size, direct: usesDirectIO, path: path)
        reportProgress(reading: bytes.count)
        return bytes
    }

    /// Tells the progress meter, if any, of bytes read from this volume other than by `read`.
    func reportProgress(reading count: Int) {
        settings.progress?.advance("reading \(displayName)", by: count)
    }

    /// The volume's file name (a UUID on oVirt's storage), for the progress line.
    var displayName: String { String(path.split(separator: "/").last ?? Substring(path)) }

    static func read(_ descriptor: Int32, count: Int, at offset: Int64, limit: Int64, direct: Bool, path: String) throws -> [UInt8] {
        let available = Int(max(0, min(Int64(count), limit - offset)))
        // O_DIRECT wants whole aligned blocks in an aligned buffer.
        let capacity = available.roundedUp(toMultipleOf: 4096)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(capacity, 4096), alignment: 4096)
        defer { buffer.deallocate() }
        let filled: Int
        do {
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(direct ? capacity : available)])
            filled = try SystemCalls.read(descriptor, into: target, at: offset, minimum: available)
        } catch {
            throw HostedEngineError.io(path: path, operation: "read the configuration volume", errno: error.rawValue)
        }
        return Array(UnsafeRawBufferPointer(rebasing: buffer[0..<min(filled, available)]))
    }

    /// Hands `range` to `body` in pieces of about a megabyte, each read at a 4096-byte boundary
    /// so that O_DIRECT accepts it.
    func forEachChunk(of range: Range<Int64>, _ body: ([UInt8]) throws -> Void) throws {
        var position = range.lowerBound
        while position < range.upperBound {
            let windowStart = position.roundedDown(toMultipleOf: 4096)
            let wanted = min(Int64(streamChunkSize), range.upperBound - windowStart)
            let window = try read(count: Int(wanted.roundedUp(toMultipleOf: 4096)), at: windowStart)
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
            // The crash comes next: what the cut-short write reached is on the storage first.
            try Self.synchronize(descriptor, path: self.path)
        }
    }

    /// Waits until what was written is on the storage.
    public func synchronize() throws {
        try Self.synchronize(descriptor, path: path)
    }

    static func synchronize(_ descriptor: Int32, path: String) throws {
        do {
            try SystemCalls.synchronize(descriptor)
        } catch {
            throw HostedEngineError.io(path: path, operation: "flush to storage", errno: error.rawValue)
        }
    }

    /// Writes `bytes` from a 4096-aligned buffer, as O_DIRECT needs.
    static func write(_ bytes: [UInt8], to descriptor: Int32, at offset: Int64, path: String) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 4096)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: bytes)
        do {
            try SystemCalls.writeAll(descriptor, UnsafeRawBufferPointer(rebasing: buffer[0..<bytes.count]), at: offset)
        } catch {
            throw HostedEngineError.io(path: path, operation: "write", errno: error.rawValue)
        }
    }

    /// Every byte bound for the volume or its journal passes here: with a crash point set, the
    /// write that crosses it is cut short there (written without O_DIRECT, which could not take
    /// an odd length) and the crash happens.
    func counted(_ bytes: [UInt8], write: ([UInt8]) throws -> Void, partial: ([UInt8]) throws -> Void) throws {
        try requireLease()
        settings.progress?.advance("writing \(displayName)", by: bytes.count)
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

    func bufferedDescriptor() throws -> Int32 {
        if buffered < 0 {
            let reopening = try Self.perform(as: identity) {
                Result { () throws(Errno) in try SystemCalls.open(resolvedPath, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) }
            }
            let reopened: Int32
            switch reopening {
            case let .success(descriptor): reopened = descriptor
            case let .failure(failure): throw HostedEngineError.io(path: path, operation: "open", errno: failure.rawValue)
            }
            var status = stat()
            guard fstat(reopened, &status) == 0, status.st_dev == device.0, status.st_ino == device.1 else {
                close(reopened)
                throw HostedEngineError.volumeUnusable(path: path, problem: .replacedWhileWriting)
            }
            buffered = reopened
        }
        return buffered
    }
}
