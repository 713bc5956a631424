import Glibc
import Logging

extension Volume {
    /// Every writer's way in: takes the volume's lock and this host's lease (`lockExclusively`),
    /// settles a write left pending in the journal, runs `body`, and always lets go.
    /// `toSettle`: the lock is taken only to complete a write already in the journal.
    public func withWriteLock<Result>(timeout: Double, toSettle: Bool = false, _ body: () throws -> Result) throws -> Result {
        try lockExclusively(timeout: timeout, toSettle: toSettle)
        defer { unlock() }
        try Journal.recoverLocked(self)
        return try body()
    }

    /// Takes an exclusive open-file-description lock on the whole volume, waiting up to
    /// `timeout` seconds. The lock ends with `unlock()` or when this volume is closed.
    /// `toSettle`: the lock is taken only to complete a write already in the journal (a
    /// reader's), which needs no lease on block storage: completing a record writes what it
    /// holds, whoever does it.
    public func lockExclusively(timeout: Double, toSettle: Bool = false) throws {
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
                    var locked = stat()
                    let holder = fstat(target, &locked) == 0 ? LockHolderSearch.process(holding: locked) : nil
                    throw HostedEngineError.locked(path: path, waitedSeconds: timeout, holder: holder)
                }
                usleep(10_000)
            } catch {
                throw HostedEngineError.io(path: path, operation: "lock the configuration volume", errno: error.rawValue)
            }
        }
        let acquisition: CrossHostLease.Acquisition
        do {
            switch settings.lease(settings.leaseResource) {
            case let .failure(unavailable): acquisition = .unavailable(unavailable)
            case let .success(lease):
                acquisition = try CrossHostLease.acquire(for: self, settings: lease, deadline: deadline, timeout: timeout)
            }
        } catch {
            unlock()
            throw error
        }
        switch acquisition {
        case let .held(lease):
            crossHostLease = lease
        case let .unavailable(reason) where kind == .blockDevice && !toSettle:
            // On block storage the lease is the only lock other hosts see.
            guard settings.writeWithoutLease else {
                unlock()
                throw HostedEngineError.noCrossHostLease(path: path, reason: reason)
            }
            settings.report(
                "Writing \(path) without the sanlock lease (\(reason)), as --without-sanlock asks: a write from another host at the same moment can be lost."
            )
        case let .unavailable(reason):
            settings.logger.info("sanlock: \(reason); the fcntl lock alone guards this write")
        }
    }

    /// Throws when the lease this lock holds was lost (the daemon stopped, or sanlock asked
    /// this process to end): the write stops before its next byte.
    func requireLease() throws {
        guard let lease = crossHostLease, let reason = lease.lostReason else { return }
        throw HostedEngineError.leaseLost(path: path, reason: reason, wroteAnything: bytesWritten > 0)
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
            do {
                hostLock = try SystemCalls.open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, mode: 0o600)
            } catch {
                throw HostedEngineError.io(path: path, operation: "open the test's host lock", errno: error.rawValue)
            }
        }
        return hostLock
    }

    public func unlock() {
        guard isLocked else { return }
        if let reason = crossHostLease?.release(), bytesWritten > 0 {
            settings.report("The sanlock lease on \(path) was lost as the write ended (\(reason)); the write was complete and flushed.")
        }
        crossHostLease = nil
        var lock = flock()
        lock.l_type = Int16(F_UNLCK)
        lock.l_whence = Int16(SEEK_SET)
        try? SystemCalls.setLock(hostLock >= 0 ? hostLock : descriptor, &lock)
        isLocked = false
    }
}
