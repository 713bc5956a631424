import CSanlock
import Glibc
import Logging

/// A volume's exclusive sanlock resource lease, held by a writer from its re-read to its last
/// fsync, so that writers on different hosts of block storage (where fcntl locks are each
/// host's own) never overlap. sanlock releases the lease of a process that dies; the next
/// writer gets it, and the journal settles the dead one's write.
///
/// It lives in the lockspace the HA broker joins. When the broker has joined it, it is used as
/// joined, found by name; when not, this tool joins it as the broker would (same name, path and
/// host id, so that the broker's own join later finds it: EEXIST, "already holds lock") and
/// leaves it after the write.
final class CrossHostLease {
    private let library: SanlockLibrary
    private let socket: Int32
    private let resource: UnsafeMutableRawPointer
    private var lockspace: sanlk_lockspace
    /// This tool joined the lockspace (the broker had not), and leaves it again.
    private let joined: Bool
    private let logger: Logger
    private let signals: LeaseSignals

    /// What taking the lease came to.
    enum Acquisition {
        case held(CrossHostLease)
        /// There is nothing to take it with (no libsanlock, no daemon, no place for it): why.
        case unavailable(LeaseProblem)
    }

    /// Takes the lease of `volume`, waiting until `deadline` (monotonic seconds) while another
    /// host holds it, or while the broker is joining the lockspace.
    static func acquire(for volume: Volume, settings: LeaseSettings, deadline: Double, timeout: Double) throws -> Acquisition {
        let logger = volume.settings.logger
        let library: SanlockLibrary
        switch SanlockLibrary.loaded {
        case let .success(loaded): library = loaded
        case let .failure(failure): return .unavailable(.libraryNotLoaded(why: failure.reason))
        }
        let disk: (path: String, offset: Int64)
        switch volume.leaseLocation {
        case .none: return .unavailable(.volumeTooSmall(path: volume.path))
        case let .inVolume(path, offset): disk = (path, offset)
        case let .sidecar(path):
            try createSidecar(path, for: volume)
            disk = (path, 0)
        }
        let signals = LeaseSignals()
        let socket = library.register()
        guard socket >= 0 else {
            signals.restore()
            return .unavailable(.noDaemon(why: describe(socket)))
        }
        let resource = makeResource(name: settings.resourceName, path: disk.path, offset: disk.offset)
        var entered: (lockspace: sanlk_lockspace, joined: Bool)?
        do {
            entered = try enterLockspace(settings, library: library, volume: volume, deadline: deadline, timeout: timeout)
            try prepareArea(resource, name: settings.resourceName, library: library, volume: volume, disk: disk)
            do {
                try take(resource, socket: socket, library: library, volume: volume, deadline: deadline, timeout: timeout)
            } catch let HostedEngineError.locked(path, waited, nil) {
                // Which host holds it, from the lease's leader record.
                let holder = (try? leaseArea(disk, volume: volume)).flatMap(LockHolderSearch.host(holdingLeaseIn:))
                throw HostedEngineError.locked(path: path, waitedSeconds: waited, holder: holder)
            }
        } catch {
            close(socket)
            if var left = entered?.lockspace, entered?.joined == true { _ = library.removeLockspace(&left, UInt32(SANLK_REM_UNUSED)) }
            resource.deallocate()
            signals.restore()
            throw error
        }
        let lockspace = entered!.lockspace
        logger.info(
            "sanlock: holding the lease \(settings.resourceName) at \(disk.path):\(disk.offset) as host \(lockspace.host_id) of lockspace \(LeaseSettings.lockspaceName)"
        )
        return .held(
            CrossHostLease(
                library: library, socket: socket, resource: resource, lockspace: lockspace, joined: entered!.joined, logger: logger,
                signals: signals))
    }

    private init(
        library: SanlockLibrary, socket: Int32, resource: UnsafeMutableRawPointer, lockspace: sanlk_lockspace, joined: Bool, logger: Logger,
        signals: LeaseSignals
    ) {
        self.library = library
        self.socket = socket
        self.resource = resource
        self.lockspace = lockspace
        self.joined = joined
        self.logger = logger
        self.signals = signals
    }

    /// Why the lease is no longer held, or nil while it is: sanlock's daemon went away (its
    /// connection closed), or sanlock asked this process to end (SIGTERM: the lockspace is
    /// being left, as ovirt-ha-agent does when it stops).
    var lostReason: LeaseProblem? {
        if signals.terminationRequested { return .stopRequested(lockspace: LeaseSettings.lockspaceName) }
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 0) > 0 else { return nil }
        if poller.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return .daemonStopped }
        var byte: UInt8 = 0
        if recv(socket, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) == 0 { return .daemonStopped }
        return nil
    }

    /// Gives the lease back (and the lockspace, if this tool joined it); returns why it had
    /// already been lost, if it had.
    @discardableResult
    func release() -> LeaseProblem? {
        let lost = lostReason
        var pointer: UnsafeMutablePointer<sanlk_resource>? = resource.assumingMemoryBound(to: sanlk_resource.self)
        let released = library.release(socket, -1, 0, 1, &pointer)
        close(socket)
        let note = released == 0 ? "" : " (\(Self.describe(released)); closing the connection releases it)"
        logger.info("sanlock: released the lease\(note)")
        if joined {
            // UNUSED: never take the lockspace from under someone using it meanwhile.
            let left = library.removeLockspace(&lockspace, UInt32(SANLK_REM_UNUSED))
            logger.info("sanlock: left the lockspace \(LeaseSettings.lockspaceName)\(left == 0 ? "" : " (\(Self.describe(left)))")")
        }
        resource.deallocate()
        signals.restore()
        return lost
    }

    /// The lockspace as this host is in it: as joined (by the broker, found by name whatever
    /// path and host id it joined with), or joined now with the broker's own path and host id.
    /// A join under way (the broker's, about 20 seconds) is waited for; one being left is waited
    /// out, then joined again.
    private static func enterLockspace(
        _ settings: LeaseSettings, library: SanlockLibrary, volume: Volume, deadline: Double, timeout: Double
    ) throws -> (lockspace: sanlk_lockspace, joined: Bool) {
        let logger = volume.settings.logger
        var wanted = sanlk_lockspace()
        fill(&wanted.name, LeaseSettings.lockspaceName)
        wanted.host_id = settings.hostId
        fill(&wanted.host_id_disk.path, settings.lockspacePath)
        wanted.host_id_disk.offset = 0
        var said = false
        while true {
            switch lockspaceState(wanted, library: library) {
            case let .joined(found):
                logger.info(
                    "sanlock: the \(LeaseSettings.lockspaceName) lockspace is joined on this host as host \(found.host_id) (\(DisplayText.printable(text(of: found.host_id_disk.path))))"
                )
                return (found, false)
            case .changing:
                if !said {
                    logger.info("sanlock: the \(LeaseSettings.lockspaceName) lockspace is being joined or left on this host; waiting")
                    said = true
                }
            case .absent:
                volume.settings.report(
                    "The \(LeaseSettings.lockspaceName) lockspace is not joined on this host (are ovirt-ha-broker and ovirt-ha-agent stopped?): joining it as host \(settings.hostId) for this write, as the broker does, which takes about 20 seconds."
                )
                let added = library.addLockspace(&wanted, 0)
                if added == 0 {
                    logger.info("sanlock: joined the lockspace as host \(settings.hostId) through \(settings.lockspacePath)")
                    return (wanted, true)
                }
                // EEXIST: the broker is joining it the same way; EINVAL: someone joined it under
                // another path or host id; EAGAIN, EINPROGRESS: being left or joined. Look again.
                guard [-EEXIST, -EINVAL, -EAGAIN, -EINPROGRESS].contains(added) else {
                    throw HostedEngineError.volumeUnusable(
                        path: settings.lockspacePath,
                        problem: .cannotJoinLockspace(LeaseSettings.lockspaceName, hostId: settings.hostId, why: describe(added)))
                }
                logger.info("sanlock: joining answered \(describe(added)); looking at the lockspace again")
            }
            if TimeText.monotonicSeconds() >= deadline {
                throw HostedEngineError.volumeUnusable(
                    path: volume.path, problem: .lockspaceStillChanging(LeaseSettings.lockspaceName, seconds: Int(timeout)))
            }
            usleep(250_000)
        }
    }

    private enum LockspaceState {
        case joined(sanlk_lockspace)
        case changing
        case absent
    }

    /// The `hosted-engine` lockspace as the daemon lists it; with a library too old to list,
    /// inquired under the broker's own name, host id and path.
    private static func lockspaceState(_ wanted: sanlk_lockspace, library: SanlockLibrary) -> LockspaceState {
        if let listed = library.lockspaces() {
            guard let found = listed.first(where: { text(of: $0.name) == LeaseSettings.lockspaceName }) else { return .absent }
            return found.flags & UInt32(SANLK_LSF_ADD | SANLK_LSF_REM) == 0 ? .joined(found) : .changing
        }
        var inquired = wanted
        switch library.inquireLockspace(&inquired, 0) {
        case 0: return .joined(wanted)
        case -EINPROGRESS, -EAGAIN: return .changing
        default: return .absent
        }
    }

    /// Makes sure the lease's area holds this lease. A valid sanlock lease of another resource
    /// is a tenant and is refused; anything else (zeros, or a reused LUN's old bytes) is free
    /// space and is initialized, after comparing it once more right before the write, so that
    /// of two hosts doing their first write at once the second finds the first's lease.
    private static func prepareArea(
        _ resource: UnsafeMutableRawPointer, name: String, library: SanlockLibrary, volume: Volume, disk: (path: String, offset: Int64)
    ) throws {
        let logger = volume.settings.logger
        let typed = resource.assumingMemoryBound(to: sanlk_resource.self)
        for _ in 0..<5 {
            let seen = try leaseArea(disk, volume: volume)
            // read_resource fills in what it finds: read into a copy.
            let probe = makeResource(name: name, path: disk.path, offset: disk.offset)
            defer { probe.deallocate() }
            let probed = probe.assumingMemoryBound(to: sanlk_resource.self)
            if library.readResource(probed, 0) == 0 {
                let foundSpace = text(of: probed.pointee.lockspace_name)
                let foundName = text(of: probed.pointee.name)
                guard foundSpace == LeaseSettings.lockspaceName, foundName == name else {
                    throw HostedEngineError.volumeUnusable(
                        path: disk.path,
                        problem: .anotherLease(lockspace: foundSpace, name: foundName, offset: disk.offset, ours: name, path: disk.path))
                }
                return
            }
            let what = seen.allSatisfy { $0 == 0 } ? "zeros" : "bytes that are not a lease (left by an earlier use of the storage)"
            // Compared right before the write: another host's lease written meanwhile is kept.
            guard try leaseArea(disk, volume: volume) == seen else { continue }
            let written = library.writeResource(typed, 0, 0, 0)
            guard written == 0 else {
                throw HostedEngineError.volumeUnusable(
                    path: disk.path, problem: .cannotWriteLease(offset: disk.offset, why: describe(written)))
            }
            logger.info("sanlock: the lease's area at \(disk.path):\(disk.offset) held \(what); wrote the lease \(name) there")
            return
        }
        throw HostedEngineError.volumeUnusable(path: disk.path, problem: .leaseAreaKeptChanging(offset: disk.offset))
    }

    /// The first 4096 bytes of the lease's area (its leader sector, whatever the sector size).
    private static func leaseArea(_ disk: (path: String, offset: Int64), volume: Volume) throws -> [UInt8] {
        if disk.offset > 0 { return try volume.read(count: 4096, at: disk.offset) }
        return (try? LocalFile.read(disk.path, limit: 4096)).map { Array($0.prefix(4096)) } ?? []
    }

    /// Acquires the lease, trying again while another host holds it (sanlock does not queue).
    private static func take(
        _ resource: UnsafeMutableRawPointer, socket: Int32, library: SanlockLibrary, volume: Volume, deadline: Double, timeout: Double
    ) throws {
        let busy: Set<Int32> = [
            -EAGAIN, -EBUSY, SANLK_ACQUIRE_IDLIVE, SANLK_ACQUIRE_OWNED, SANLK_ACQUIRE_OTHER, SANLK_ACQUIRE_OWNED_RETRY,
        ]
        while true {
            var pointer: UnsafeMutablePointer<sanlk_resource>? = resource.assumingMemoryBound(to: sanlk_resource.self)
            let acquired = library.acquire(socket, -1, 0, 1, &pointer, nil)
            if acquired == 0 { return }
            guard busy.contains(acquired) else {
                throw HostedEngineError.volumeUnusable(path: volume.path, problem: .cannotAcquireLease(why: describe(acquired)))
            }
            if TimeText.monotonicSeconds() >= deadline { throw HostedEngineError.locked(path: volume.path, waitedSeconds: timeout) }
            usleep(UInt32.random(in: 10_000...40_000))
        }
    }

    /// The lease file beside a small file volume: 1 MiB (sanlock's area with 512-byte sectors),
    /// owned and moded as the volume, so that sanlock (in the volume's group) can use it.
    private static func createSidecar(_ path: String, for volume: Volume) throws {
        guard let descriptor = try volume.openSidecar(path, flags: O_RDWR, createMode: 0o660) else {
            throw HostedEngineError.io(path: path, operation: "create the sanlock lease file", errno: ENOENT)
        }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_size < 1 << 20 {
            do {
                try SystemCalls.truncate(descriptor, to: 1 << 20)
            } catch {
                throw HostedEngineError.io(path: path, operation: "size the sanlock lease file", errno: error.rawValue)
            }
        }
    }

    private static func makeResource(name: String, path: String, offset: Int64) -> UnsafeMutableRawPointer {
        let size = MemoryLayout<sanlk_resource>.size + MemoryLayout<sanlk_disk>.size
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        let resource = raw.assumingMemoryBound(to: sanlk_resource.self)
        fill(&resource.pointee.lockspace_name, LeaseSettings.lockspaceName)
        fill(&resource.pointee.name, name)
        resource.pointee.num_disks = 1
        let disk = (raw + MemoryLayout<sanlk_resource>.size).assumingMemoryBound(to: sanlk_disk.self)
        fill(&disk.pointee.path, path)
        disk.pointee.offset = UInt64(offset)
        return raw
    }

    /// Copies `text` into a C character array, NUL-terminated when it is shorter.
    private static func fill<Field>(_ field: inout Field, _ text: String) {
        withUnsafeMutableBytes(of: &field) { bytes in
            bytes.initializeMemory(as: UInt8.self, repeating: 0)
            let utf8 = Array(text.utf8.prefix(bytes.count - 1))
            bytes.copyBytes(from: utf8)
        }
    }

    private static func text<Field>(of field: Field) -> String {
        withUnsafeBytes(of: field) { bytes in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// sanlock's return codes are -errno or its own (sanlock_rv.h).
    static func describe(_ code: Int32) -> String {
        let own: [Int32: String] = [
            SANLK_LEADER_MAGIC: "no lease there", SANLK_ACQUIRE_IDLIVE: "held by a live host",
            SANLK_ACQUIRE_OWNED: "held by another host", SANLK_ACQUIRE_LOCKSPACE: "the lockspace is not joined",
            SANLK_HOSTID_BUSY: "that host id is in use by another host", SANLK_ADDLS_INVALID_HOSTID: "the host id is not valid",
            SANLK_AIO_TIMEOUT: "the storage did not answer in time",
        ]
        if let text = own[code] { return "sanlock \(code): \(text)" }
        if code < 0, code > -200 { return "sanlock: \(String(cString: strerror(-code)))" }
        return "sanlock \(code)"
    }
}
