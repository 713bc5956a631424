import Glibc
import Logging

extension Volume {
    /// Takes an exclusive open-file-description lock on the whole volume, waiting up to
    /// `timeout` seconds. The lock ends with `unlock()` or when this volume is closed.
    public func lockExclusively(timeout: Double) throws {
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 0
        let start = TimeText.monotonicSeconds()
        let deadline = start + timeout
        let target = try lockDescriptor()
        while true {
            do {
                try SystemCalls.setLock(target, &lock)
                isLocked = true
                let waited = TimeText.monotonicSeconds() - start
                settings.logger.info("Locked \(path) (waited \(Int(waited * 1000)) ms)")
                break
            } catch .resourceTemporarilyUnavailable, .permissionDenied {
                if TimeText.monotonicSeconds() >= deadline {
                    throw HostedEngineError.locked(path: path, waitedSeconds: timeout)
                }
                usleep(10_000)
            } catch {
                throw HostedEngineError.io(path: path, operation: "lock the configuration volume", errno: error.rawValue)
            }
        }
        guard let lease = settings.lease() else { return }
        do {
            crossHostLease = try CrossHostLease.acquire(for: self, settings: lease, deadline: deadline, timeout: timeout)
        } catch {
            unlock()
            throw error
        }
    }

    /// Whether the lock just taken is one every writer of this volume takes too, on any host:
    /// the sanlock lease is; fcntl locks on a file volume are (NFSv4 and NLM, Gluster's posix
    /// locks); on a block device they are this host's alone.
    public var lockIsSharedByEveryWriter: Bool {
        crossHostLease != nil || (kind == .regularFile && settings.hostLockDirectory == nil)
    }

    /// What the fcntl lock is taken on: the volume, or in a test the host's stand-in for it.
    private func lockDescriptor() throws -> Int32 {
        guard let directory = settings.hostLockDirectory else { return descriptor }
        if hostLock < 0 {
            var status = stat()
            fstat(descriptor, &status)
            let path = "\(directory)/lock-\(status.st_dev)-\(status.st_ino)-\(status.st_rdev)"
            hostLock = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard hostLock >= 0 else { throw HostedEngineError.io(path: path, operation: "open the test's host lock", errno: errno) }
        }
        return hostLock
    }

    public func unlock() {
        guard isLocked else { return }
        crossHostLease?.release()
        crossHostLease = nil
        var lock = flock()
        lock.l_type = Int16(F_UNLCK)
        lock.l_whence = Int16(SEEK_SET)
        try? SystemCalls.setLock(hostLock >= 0 ? hostLock : descriptor, &lock)
        isLocked = false
    }
}
