import ArchiveKit
import Glibc
import SystemPackage

extension OvfStoreTransfer {
    /// Extracts the newest copy into `directory` (created 0700; it must not exist, or be empty),
    /// each member a file, 0600, with the member's mtime. The files appear together, when all
    /// are written.
    public func download(into directory: String, locator: VolumeLocator, lockTimeout: Double = 30, now: Int64 = TimeText.now()) throws
        -> Downloaded
    {
        try WorkingCopy.requireNewDirectory(directory, for: "download")
        let found = try locator.ovfStoreCopies()
        let volume = try locator.open(found.stores[0].path, forWriting: false)
        let staging = try LocalFile.makeTemporaryDirectory(
            in: LocalFile.parent(of: LocalFile.absolute(directory)), prefix: ".hosted-engine-download-")
        do {
            var members = 0
            let image = try OvfStoreImage.readConsistently(volume, lockTimeout: lockTimeout) {
                members = 0
                for name in try LocalFile.list(staging) { try? SystemCalls.remove(staging + "/" + name) }
            } visit: { entry, reader in
                try Self.extract(entry, from: reader, into: staging, origin: volume.path)
                members += 1
            }
            try OvfStoreDirectory(directory: staging, volumePath: LocalFile.absolute(volume.path), base: image.checksum).save(
                downloaded: now)
            try WorkingCopy.moveIntoPlace(staging, directory)
            return Downloaded(
                directory: OvfStoreDirectory(directory: directory, volumePath: LocalFile.absolute(volume.path), base: image.checksum),
                members: members, bytes: image.count)
        } catch {
            LocalFile.removeTree(staging)
            throw error
        }
    }

    private static func extract(_ entry: TarEntry, from reader: TarReader, into directory: String, origin: String) throws {
        guard OvfStoreDirectory.isPlainName(entry.path) else {
            throw HostedEngineError.archiveInvalid(
                path: origin, problem: .storeMemberNotPlain(DisplayText.printable(entry.path)))
        }
        let path = directory + "/" + entry.path
        // Made relative to the private folder's descriptor, new (O_EXCL), never through a link.
        let descriptor: Int32
        do {
            let folder = try SystemCalls.open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            defer { close(folder) }
            descriptor = try SystemCalls.open(entry.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode: 0o600, in: folder)
        } catch {
            throw HostedEngineError.io(path: path, operation: "create", errno: error.rawValue)
        }
        defer { close(descriptor) }
        do {
            try reader.readData { chunk in
                do throws(Errno) {
                    try SystemCalls.writeAll(descriptor, chunk)
                } catch {
                    throw HostedEngineError.io(path: path, operation: "write", errno: error.rawValue)
                }
            }
        } catch let error as ArchiveError {
            throw HostedEngineError.unreadableArchive(origin, error)
        }
        let time = timespec(tv_sec: Int(entry.modificationTime), tv_nsec: 0)
        var times = (time, time)
        _ = withUnsafePointer(to: &times) { $0.withMemoryRebound(to: timespec.self, capacity: 2) { futimens(descriptor, $0) } }
    }
}
