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
        while true {
            do {
                try SystemCalls.setLock(descriptor, &lock)
                isLocked = true
                let waited = TimeText.monotonicSeconds() - start
                settings.logger.info("Locked \(path) (waited \(Int(waited * 1000)) ms)")
                return
            } catch .resourceTemporarilyUnavailable, .permissionDenied {
                if TimeText.monotonicSeconds() >= deadline {
                    throw HostedEngineError.locked(path: path, waitedSeconds: timeout)
                }
                usleep(10_000)
            } catch {
                throw HostedEngineError.io(path: path, operation: "lock the configuration volume", errno: error.rawValue)
            }
        }
    }

    public func unlock() {
        guard isLocked else { return }
        var lock = flock()
        lock.l_type = Int16(F_UNLCK)
        lock.l_whence = Int16(SEEK_SET)
        try? SystemCalls.setLock(descriptor, &lock)
        isLocked = false
    }
}
