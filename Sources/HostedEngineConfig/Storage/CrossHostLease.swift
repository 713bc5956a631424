import CSanlock
import Glibc
import Logging

/// The configuration volume's exclusive sanlock resource lease, held by a writer from its
/// re-read to its last fsync, so that writers on different hosts of block storage (where fcntl
/// locks are each host's own) never overlap. sanlock releases the lease of a process that
/// dies; the next writer gets it, and the journal settles the dead one's write.
final class CrossHostLease {
    private let library: SanlockLibrary
    private let socket: Int32
    private let resource: UnsafeMutableRawPointer
    private var lockspace: sanlk_lockspace
    /// This tool joined the lockspace (the agents had not), and leaves it again.
    private let joined: Bool
    private let logger: Logger

    /// Takes the lease of `volume`, waiting until `deadline` (monotonic seconds) while another
    /// host holds it. Nil when there is nothing to take it with (no libsanlock, no daemon, no
    /// place for it), said under --verbose: the fcntl lock is then all there is.
    static func acquire(for volume: Volume, settings: LeaseSettings, deadline: Double, timeout: Double) throws -> CrossHostLease? {
        let logger = volume.settings.logger
        let library: SanlockLibrary
        switch SanlockLibrary.loaded {
        case let .success(loaded): library = loaded
        case let .failure(failure):
            logger.info("sanlock: libsanlock cannot be loaded (\(failure.reason)); the fcntl lock alone guards this write")
            return nil
        }
        let disk: (path: String, offset: Int64)
        switch volume.leaseLocation {
        case .none:
            logger.info("sanlock: \(volume.path) is too small to hold a lease; the fcntl lock alone guards this write")
            return nil
        case let .inVolume(path, offset): disk = (path, offset)
        case let .sidecar(path):
            try createSidecar(path, for: volume)
            disk = (path, 0)
        }
        let socket = library.register()
        guard socket >= 0 else {
            logger.info("sanlock: no sanlock daemon on this host (\(describe(socket))); the fcntl lock alone guards this write")
            return nil
        }
        var lockspace = sanlk_lockspace()
        fill(&lockspace.name, LeaseSettings.lockspaceName)
        lockspace.host_id = settings.hostId
        fill(&lockspace.host_id_disk.path, settings.lockspacePath)
        lockspace.host_id_disk.offset = 0
        let resource = makeResource(path: disk.path, offset: disk.offset)
        var joined = false
        do {
            joined = try join(&lockspace, library: library, settings: settings, logger: logger, report: volume.settings.report)
            try initializeIfBlank(resource, library: library, volume: volume, disk: disk)
            try take(resource, socket: socket, library: library, volume: volume, deadline: deadline, timeout: timeout)
        } catch {
            close(socket)
            if joined { _ = library.removeLockspace(&lockspace, 0) }
            resource.deallocate()
            throw error
        }
        logger.info(
            "sanlock: holding the lease \(LeaseSettings.resourceName) at \(disk.path):\(disk.offset) as host \(settings.hostId) of lockspace \(LeaseSettings.lockspaceName)"
        )
        return CrossHostLease(
            library: library, socket: socket, resource: resource, lockspace: lockspace, joined: joined, logger: logger)
    }

    private init(
        library: SanlockLibrary, socket: Int32, resource: UnsafeMutableRawPointer, lockspace: sanlk_lockspace, joined: Bool, logger: Logger
    ) {
        self.library = library
        self.socket = socket
        self.resource = resource
        self.lockspace = lockspace
        self.joined = joined
        self.logger = logger
    }

    /// Gives the lease back (and the lockspace, if this tool joined it).
    func release() {
        var pointer: UnsafeMutablePointer<sanlk_resource>? = resource.assumingMemoryBound(to: sanlk_resource.self)
        let released = library.release(socket, -1, 0, 1, &pointer)
        close(socket)
        let note = released == 0 ? "" : " (\(Self.describe(released)); closing the connection releases it)"
        logger.info("sanlock: released the lease\(note)")
        if joined {
            let left = library.removeLockspace(&lockspace, 0)
            logger.info("sanlock: left the lockspace \(LeaseSettings.lockspaceName)\(left == 0 ? "" : " (\(Self.describe(left)))")")
        }
        resource.deallocate()
    }

    /// Joins the lockspace as this host when the agents have not (about 20 seconds: sanlock's
    /// delta lease); true when this tool joined it.
    private static func join(
        _ lockspace: inout sanlk_lockspace, library: SanlockLibrary, settings: LeaseSettings, logger: Logger,
        report: @Sendable (String) -> Void
    ) throws -> Bool {
        let inquired = library.inquireLockspace(&lockspace, 0)
        if inquired == 0 { return false }
        report(
            "The \(LeaseSettings.lockspaceName) lockspace is not joined on this host (are ovirt-ha-broker and ovirt-ha-agent stopped?): joining it as host \(settings.hostId) for this write, which takes about 20 seconds."
        )
        let added = library.addLockspace(&lockspace, 0)
        guard added == 0 || added == -EEXIST else {
            throw HostedEngineError.volumeUnusable(
                path: settings.lockspacePath,
                reason:
                    "sanlock cannot join the \(LeaseSettings.lockspaceName) lockspace there as host \(settings.hostId) (\(describe(added))); check host_id in hosted-engine.conf, or start ovirt-ha-broker, which joins it"
            )
        }
        logger.info("sanlock: joined the lockspace as host \(settings.hostId)")
        return added == 0
    }

    /// Writes the lease's area the first time, when it is still zeros; refuses bytes that are
    /// neither zeros nor this lease.
    private static func initializeIfBlank(
        _ resource: UnsafeMutableRawPointer, library: SanlockLibrary, volume: Volume, disk: (path: String, offset: Int64)
    ) throws {
        let typed = resource.assumingMemoryBound(to: sanlk_resource.self)
        let read = library.readResource(typed, 0)
        if read == 0 {
            let found = text(of: &typed.pointee.name)
            guard found == LeaseSettings.resourceName else {
                throw HostedEngineError.volumeUnusable(
                    path: disk.path,
                    reason: "it holds another sanlock resource (\(found)) at offset \(disk.offset), where this tool keeps its lease")
            }
            return
        }
        // read_resource filled in what it found; what is written is this tool's resource.
        fill(&typed.pointee.lockspace_name, LeaseSettings.lockspaceName)
        fill(&typed.pointee.name, LeaseSettings.resourceName)
        let area = try leaseArea(disk, volume: volume)
        guard area.allSatisfy({ $0 == 0 }) else {
            throw HostedEngineError.volumeUnusable(
                path: disk.path,
                reason:
                    "the bytes at offset \(disk.offset), where this tool keeps its sanlock lease, are neither zeros nor its lease (\(describe(read))); something else uses them"
            )
        }
        let written = library.writeResource(typed, 0, 0, 0)
        guard written == 0 else {
            throw HostedEngineError.volumeUnusable(
                path: disk.path, reason: "sanlock cannot write the lease's area at offset \(disk.offset) (\(describe(written)))")
        }
        volume.settings.logger.info("sanlock: wrote the lease's area at \(disk.path):\(disk.offset) (the first write with sanlock)")
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
                throw HostedEngineError.volumeUnusable(
                    path: volume.path, reason: "sanlock cannot acquire this tool's lease on it (\(describe(acquired)))")
            }
            if TimeText.monotonicSeconds() >= deadline { throw HostedEngineError.locked(path: volume.path, waitedSeconds: timeout) }
            usleep(UInt32.random(in: 10_000...40_000))
        }
    }

    /// The lease file beside a small file volume: 1 MiB (sanlock's area with 512-byte sectors),
    /// owned and moded as the volume, so that sanlock (in the volume's group) can use it.
    private static func createSidecar(_ path: String, for volume: Volume) throws {
        let descriptor = try Volume.perform(as: volume.identity) { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o660) }
        guard descriptor >= 0 else {
            throw HostedEngineError.io(path: path, operation: "create the sanlock lease file", errno: errno)
        }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_size < 1 << 20 { _ = ftruncate(descriptor, 1 << 20) }
    }

    private static func makeResource(path: String, offset: Int64) -> UnsafeMutableRawPointer {
        let size = MemoryLayout<sanlk_resource>.size + MemoryLayout<sanlk_disk>.size
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        let resource = raw.assumingMemoryBound(to: sanlk_resource.self)
        fill(&resource.pointee.lockspace_name, LeaseSettings.lockspaceName)
        fill(&resource.pointee.name, LeaseSettings.resourceName)
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

    private static func text<Field>(of field: inout Field) -> String {
        withUnsafeBytes(of: &field) { bytes in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }
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
