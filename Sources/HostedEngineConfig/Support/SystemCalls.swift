import Glibc
import SystemPackage

/// The system calls the library makes on descriptors, each wrapped once: retried when a signal
/// interrupts them (swift-system's `retryOnInterrupt` where it has the call), failures as `Errno`.
enum SystemCalls {
    /// Reads into `buffer` from `offset` (from the file position when nil) until at least
    /// `minimum` bytes came (the whole buffer by default) or the file ended; returns how many.
    static func read(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64? = nil, minimum: Int? = nil
    ) throws(Errno) -> Int {
        let file = FileDescriptor(rawValue: descriptor)
        let wanted = minimum ?? buffer.count
        var filled = 0
        while filled < wanted {
            let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])
            let count = try errno {
                try offset.map { try file.read(fromAbsoluteOffset: $0 + Int64(filled), into: rest) } ?? file.read(into: rest)
            }
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// The same into the first `count` bytes of `bytes` (all of them by default).
    static func read(_ descriptor: Int32, into bytes: inout [UInt8], count: Int? = nil, at offset: Int64? = nil) throws(Errno) -> Int {
        let wanted = count ?? bytes.count
        return try errno {
            try bytes.withUnsafeMutableBytes { buffer in
                try read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]), at: offset)
            }
        }
    }

    /// Writes all of `bytes` at `offset` (at the file position when nil).
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64? = nil) throws(Errno) {
        let file = FileDescriptor(rawValue: descriptor)
        _ = try errno { try offset.map { try file.writeAll(toAbsoluteOffset: $0, bytes) } ?? file.writeAll(bytes) }
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], at offset: Int64? = nil) throws(Errno) {
        try errno { try bytes.withUnsafeBytes { try writeAll(descriptor, $0, at: offset) } }
    }

    /// Waits until what was written to `descriptor` is on the storage.
    static func synchronize(_ descriptor: Int32) throws(Errno) {
        try retrying { fsync(descriptor) }
    }

    /// Sets or clears an open-file-description lock without waiting (F_OFD_SETLK).
    static func setLock(_ descriptor: Int32, _ lock: inout flock) throws(Errno) {
        try retrying { fcntl(descriptor, LinuxConstants.setOpenFileDescriptionLock, &lock) }
    }

    /// Sets the file's length.
    static func truncate(_ descriptor: Int32, to length: Int64) throws(Errno) {
        try retrying { ftruncate(descriptor, off_t(length)) }
    }

    /// Sets the file's mode, and its owner when `owner` is given.
    static func setMode(_ descriptor: Int32, _ mode: mode_t, owner: (uid: uid_t, gid: gid_t)? = nil) throws(Errno) {
        try retrying { fchmod(descriptor, mode) }
        if let owner { try retrying { fchown(descriptor, owner.uid, owner.gid) } }
    }

    /// Takes an flock(2) lock without waiting (`LOCK_EX | LOCK_NB`), as upstream's ConfigFile does.
    static func lockWhole(_ descriptor: Int32) throws(Errno) {
        try retrying { flock(descriptor, LOCK_EX | LOCK_NB) }
    }

    /// Makes a folder; one that exists already is no failure.
    static func makeDirectory(_ path: String, mode: mode_t) throws(Errno) {
        do throws(Errno) {
            try retrying { mkdir(path, mode) }
        } catch .fileExists {
            return
        }
    }

    /// Removes an empty folder.
    static func removeDirectory(_ path: String) throws(Errno) {
        try retrying { rmdir(path) }
    }

    /// Waits for child `pid` to end; returns its wait status.
    static func waitForExit(of pid: pid_t) throws(Errno) -> Int32 {
        var status: Int32 = 0
        try retrying { waitpid(pid, &status, 0) < 0 ? -1 : 0 }
        return status
    }

    /// Opens `path` (relative to the folder open as `folder`, else to the working folder),
    /// retried when a signal interrupts it; returns the descriptor.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0, in folder: Int32 = AT_FDCWD) throws(Errno) -> Int32 {
        while true {
            let descriptor = openat(folder, path, flags, mode)
            if descriptor >= 0 { return descriptor }
            guard Glibc.errno == EINTR else { throw Errno(rawValue: Glibc.errno) }
        }
    }

    /// Renames `from` over `to`, both in the folder open as `folder` (else the working folder).
    static func rename(_ from: String, to: String, in folder: Int32 = AT_FDCWD) throws(Errno) {
        try retrying { renameat(folder, from, folder, to) }
    }

    /// Removes the file `path` (in the folder open as `folder`, else the working folder).
    static func remove(_ path: String, in folder: Int32 = AT_FDCWD) throws(Errno) {
        try retrying { unlinkat(folder, path, 0) }
    }

    /// Calls `call` again while it fails with EINTR; a failure is errno's value.
    private static func retrying(_ call: () -> Int32) throws(Errno) {
        while call() != 0 {
            guard Glibc.errno == EINTR else { throw Errno(rawValue: Glibc.errno) }
        }
    }

    /// swift-system's calls declare untyped throws; every failure they throw is an `Errno`.
    private static func errno<Result>(_ body: () throws -> Result) throws(Errno) -> Result {
        do {
            return try body()
        } catch let error as Errno {
            throw error
        } catch {
            throw Errno.ioError
        }
    }
}

extension Errno {
    /// The system's own words for it (strerror), as the messages quote it.
    var reason: String { String(cString: strerror(rawValue)) }
}
