import Glibc

/// The configuration volume: a regular file (NFS, Gluster) or a block device (iSCSI, FC LV).
///
/// Block devices are opened with O_DIRECT: other hosts write the same LUN, and a read through
/// this host's page cache could return what the volume held before their write.
public final class Volume {
    public enum Kind: Sendable {
        case regularFile, blockDevice
    }

    public let path: String
    public let descriptor: Int32
    public let kind: Kind
    /// Bytes; for a block device, the device's size.
    public let size: Int64
    public let usesDirectIO: Bool
    private var isLocked = false

    /// Opens `path` for reading, or for reading and writing.
    public init(path: String, forWriting: Bool) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            if code == ENOENT {
                throw HostedEngineError.volumeUnusable(path: path, reason: "it does not exist; check the path")
            }
            throw HostedEngineError.io(path: path, operation: "look at the configuration volume", errno: code)
        }
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
        var descriptor = open(path, access | O_CLOEXEC | (direct ? LinuxConstants.directIO : 0))
        if descriptor < 0, direct, errno == EINVAL {
            // Some devices refuse O_DIRECT; read through the cache rather than not at all.
            direct = false
            descriptor = open(path, access | O_CLOEXEC)
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
        self.path = path
        self.descriptor = descriptor
        self.usesDirectIO = direct
        if kind == .blockDevice {
            size = Int64(lseek(descriptor, 0, SEEK_END))
        } else {
            size = Int64(status.st_size)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Reads `count` bytes at `offset` (fewer at the end of the volume).
    public func read(count: Int, at offset: Int64) throws -> [UInt8] {
        let available = Int(max(0, min(Int64(count), size - offset)))
        // O_DIRECT wants whole aligned blocks in an aligned buffer.
        let capacity = (available + 4095) / 4096 * 4096
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(capacity, 4096), alignment: 4096)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < available {
            let wanted = usesDirectIO ? capacity - filled : available - filled
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

    /// Writes `bytes` at `offset`. With O_DIRECT, `bytes.count` must be a multiple of 512.
    public func write(_ bytes: [UInt8], at offset: Int64) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 4096)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: bytes)
        var done = 0
        while done < bytes.count {
            let result = pwrite(descriptor, buffer.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw HostedEngineError.io(path: path, operation: "write the configuration volume", errno: errno)
            }
            done += result
        }
    }

    /// Waits until what was written is on the storage.
    public func synchronize() throws {
        while fsync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw HostedEngineError.io(path: path, operation: "flush the configuration volume to storage", errno: errno)
        }
    }

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
