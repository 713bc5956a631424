import Glibc
import SystemPackage

extension Volume {
    /// Opens a file beside the volume (its journal, its lease) without following a link, as the
    /// volume's I/O identity, and refuses anything but a regular file with the volume's owner.
    func openSidecar(_ sidecarPath: String, flags: Int32, createMode: mode_t? = nil) throws -> Int32? {
        // errno is taken inside: switching back to root may change it.
        let (descriptor, code) = try Self.perform(as: identity) { () -> (Int32, Int32) in
            let common = flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK
            let attempt = { (flags: Int32) -> (Int32, Int32) in
                do throws(Errno) {
                    return (try SystemCalls.open(sidecarPath, flags, mode: createMode ?? 0), 0)
                } catch {
                    return (-1, error.rawValue)
                }
            }
            guard let createMode else { return attempt(common) }
            let (created, code) = attempt(common | O_CREAT | O_EXCL)
            if created >= 0 {
                // The volume's owner's, with the volume's mode: no looser. (Made as vdsm it is
                // vdsm's already; made by root doing I/O as itself, it is given to the owner.)
                var status = stat()
                let mode = fstat(self.descriptor, &status) == 0 ? status.st_mode & createMode : createMode & 0o600
                do throws(Errno) {
                    try SystemCalls.setMode(created, mode, owner: geteuid() == 0 ? (self.ownerUID, self.ownerGID) : nil)
                } catch {
                    close(created)
                    return (-1, error.rawValue)
                }
                return (created, 0)
            }
            guard code == EEXIST else { return (created, code) }
            return attempt(common)
        }
        guard descriptor >= 0 else {
            if code == ENOENT, createMode == nil { return nil }
            if code == ELOOP {
                throw HostedEngineError.volumeUnusable(path: path, problem: .sidecarIsLink(sidecarPath))
            }
            if code == EACCES, createMode != nil, identity != nil {
                throw HostedEngineError.volumeUnusable(
                    path: path, problem: .sidecarNotCreatable(sidecarPath, folder: LocalFile.parent(of: sidecarPath)))
            }
            throw HostedEngineError.io(path: sidecarPath, operation: "open", errno: code)
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_uid == ownerUID else {
            close(descriptor)
            throw HostedEngineError.volumeUnusable(path: path, problem: .sidecarNotOwners(sidecarPath, owner: ownerUID))
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return descriptor
    }

    /// Reads `count` bytes at `offset` of the file beside the volume at `sidecarPath`, opened
    /// once into `slot`; nil when there is none yet.
    func readSidecar(_ sidecarPath: String, slot: inout Int32, count: Int, at offset: Int64) throws -> [UInt8]? {
        if slot < 0 {
            guard let descriptor = try openSidecar(sidecarPath, flags: O_RDONLY) else { return nil }
            slot = descriptor
        }
        return try Self.read(slot, count: count, at: offset, limit: Int64.max, direct: false, path: sidecarPath)
    }

    /// The file beside the volume open for writing (made with the volume's owner and mode when
    /// missing), kept in `slot`; `what` names it in an error.
    func writableSidecar(_ sidecarPath: String, slot: inout Int32, writable: inout Bool, what: String) throws -> Int32 {
        if slot >= 0, writable { return slot }
        guard let descriptor = try openSidecar(sidecarPath, flags: O_RDWR, createMode: 0o660) else {
            throw HostedEngineError.io(path: sidecarPath, operation: "open \(what)", errno: ENOENT)
        }
        if slot >= 0 { close(slot) }
        slot = descriptor
        writable = true
        return descriptor
    }

    /// Makes the entry of the file beside the volume durable in its folder, as the volume's I/O
    /// identity; `what` names the file in an error.
    func synchronizeSidecarFolder(of sidecarPath: String, what: String) throws {
        let folder = LocalFile.parent(of: sidecarPath)
        let code = try Self.perform(as: identity) { () -> Int32 in
            do throws(Errno) {
                try LocalFile.syncDirectory(folder)
                return 0
            } catch {
                return error.rawValue
            }
        }
        if code != 0 { throw HostedEngineError.io(path: folder, operation: "flush the folder of \(what)", errno: code) }
    }
}
