import ArchiveKit
import Glibc

extension OvfStoreTransfer {
    /// Writes `directory` back to every OVF_STORE copy. Without `force` the newest copy must
    /// still hold the base, the engine VM's OVF must stay, and when it changed, change only in
    /// vm keys and consistently (as --set-shared-config would write them); every changed or new
    /// OVF must read as an OVF.
    public func upload(from directory: String, force: Bool, locator: VolumeLocator, options: SharedConfig.WriteOptions) throws -> Uploaded {
        let downloaded = try OvfStoreDirectory(opening: directory)
        let files = try downloaded.files()
        let found = try locator.ovfStoreCopies()
        let recorded = LocalFile.realPath(downloaded.volumePath) ?? downloaded.volumePath
        guard let baseIndex = found.stores.firstIndex(where: { (LocalFile.realPath($0.path) ?? $0.path) == recorded }) else {
            throw HostedEngineError.workingDirectory(
                directory, .notAmongStores(volumePath: downloaded.volumePath, stores: found.stores.map(\.path)))
        }
        if !force, !files.contains(where: { $0.name == found.member }) {
            throw HostedEngineError.workingDirectory(directory, .lacksEngineOvf(member: found.member))
        }
        let now = options.modificationTime ?? TimeText.now()
        let baseVolume = try locator.open(found.stores[baseIndex].path, forWriting: true)
        return try baseVolume.withWriteLock(timeout: options.lockTimeout) {

            // One pass over the copy: each member is compared with its file as the walk reaches it.
            let sizes = Dictionary(files.map { ($0.name, $0.size) }, uniquingKeysWith: { first, _ in first })
            var unchanged = Set<String>()
            let image = try OvfStoreImage(volume: baseVolume) { entry, reader in
                guard let size = sizes[entry.path], Int64(size) == entry.size else { return }
                if try Self.file(directory + "/" + entry.path, equals: reader, size: size) { unchanged.insert(entry.path) }
            }
            if !force, image.checksum != downloaded.base { throw HostedEngineError.changedBySomebodyElse }

            var changed: [String] = []
            var removed: [String] = []
            let inArchive = Set(image.layout.members.map(\.entry.path))
            let added = files.filter { !inArchive.contains($0.name) }
            let splice = try OvfStoreSplice(
                image: image, modificationTime: now,
                added: added.map { ($0.name, FileBytes(path: directory + "/" + $0.name, count: $0.size)) }
            ) { name in
                guard let size = sizes[name] else {
                    removed.append(name)
                    return .removed
                }
                if unchanged.contains(name) { return .kept }
                changed.append(name)
                return .replaced(FileBytes(path: directory + "/" + name, count: size))
            }
            var backups: [String] = []
            let newArchive: any ByteStream
            let written: Checksum
            if changed.isEmpty, added.isEmpty, removed.isEmpty {
                // This copy holds the directory already. The others may not (the engine writes them
                // at different times, or an upload was cut short); --force makes them hold it too.
                guard force else { return Uploaded(changed: [], added: [], removed: [], backups: []) }
                newArchive = image.bytes(0..<Int64(image.count))
                written = image.checksum
            } else {
                try Self.check(changed + added.map(\.name), directory: directory, engineMember: found.member, image: image, force: force)
                let swap = CompareAndSwap(volume: baseVolume, lockTimeout: options.lockTimeout, backups: options.backups)
                let first = try swap.replaceLocked(
                    baseChecksum: image.checksum, baseCount: image.count, baseVerified: true, kind: OvfStoreArchive.backupKind,
                    with: splice.archive, now: now)
                backups.append(first.backup)
                options.audit(
                    "upload-ovf-store", target: baseVolume.path, type: "vm",
                    changes: Self.auditChanges(changed, added.map(\.name), removed),
                    before: image.checksum, after: try? image.checksumAfterWriting(first.record), locator: locator)
                // The other copies take the same bytes, from the journal record just written (the
                // lock on this copy keeps it there).
                newArchive = try Journal(volume: baseVolume).newArchive(of: first.record)
                written = try image.checksumAfterWriting(first.record)
                // The directory's base moves with the copy it came from, even if another copy fails.
                try OvfStoreDirectory(directory: directory, volumePath: downloaded.volumePath, base: written).save(downloaded: now)
            }
            var done = backups.isEmpty ? [] : [baseVolume.path]
            for (index, store) in found.stores.enumerated() where index != baseIndex {
                do {
                    let volume = try locator.open(store.path, forWriting: true)
                    try volume.withWriteLock(timeout: options.lockTimeout) {
                        let current: (checksum: Checksum, count: Int)
                        do {
                            let image = try OvfStoreImage(volume: volume)
                            current = (image.checksum, image.count)
                        } catch HostedEngineError.archiveInvalid(_, _, _) where force {
                            // A restore over a copy that holds no archive: what the new one covers is saved.
                            let count = Int(min(Int64(newArchive.count), volume.size))
                            current = (try Checksum(streaming: VolumeBytes(volume: volume, range: 0..<Int64(count))), count)
                        }
                        if current.checksum != written {
                            backups.append(
                                try CompareAndSwap(volume: volume, lockTimeout: options.lockTimeout, backups: options.backups)
                                    .replaceLocked(
                                        baseChecksum: current.checksum, baseCount: current.count, baseVerified: true,
                                        kind: OvfStoreArchive.backupKind,
                                        with: newArchive, now: now
                                    ).backup)
                            done.append(store.path)
                            options.audit(
                                "upload-ovf-store", target: store.path, type: "vm",
                                changes: Self.auditChanges(changed, added.map(\.name), removed),
                                before: current.checksum, after: written, locator: locator)
                        }
                    }
                } catch let error as HostedEngineError where !done.isEmpty {
                    throw HostedEngineError.partlyUploaded(written: done, failed: store.path, error)
                }
            }
            return Uploaded(changed: changed, added: added.map(\.name), removed: removed, backups: backups)
        }
    }

    /// The files an upload changed, for the audit trail.
    static func auditChanges(_ changed: [String], _ added: [String], _ removed: [String]) -> [String] {
        changed.map { "\($0): changed" } + added.map { "\($0): added" } + removed.map { "\($0): removed" }
    }

    /// Whether the file at `path` holds exactly the `size` bytes the reader's current member does.
    private static func file(_ path: String, equals reader: TarReader, size: Int) throws -> Bool {
        let descriptor = try LocalFile.openForReading(path)
        defer { close(descriptor) }
        var same = true
        var buffer = [UInt8](repeating: 0, count: 65536)
        try reader.readData { chunk in
            guard same else { return }
            var offset = 0
            while offset < chunk.count {
                let wanted = min(buffer.count, chunk.count - offset)
                let got = (try? SystemCalls.read(descriptor, into: &buffer, count: wanted)) ?? 0
                guard got > 0, buffer.withUnsafeBytes({ memcmp($0.baseAddress!, chunk.baseAddress! + offset, got) }) == 0 else {
                    same = false
                    return
                }
                offset += got
            }
        }
        // The file may have grown since it was listed.
        return same && (try? SystemCalls.read(descriptor, into: &buffer, count: 1)) == 0
    }

    /// Refuses what the HA agents or the engine could not read.
    private static func check(_ names: [String], directory: String, engineMember: String, image: OvfStoreImage, force: Bool) throws {
        for name in names {
            let path = directory + "/" + name
            let bytes: [UInt8]
            do {
                bytes = try LocalFile.read(path, limit: Int(OvfStoreArchive.limits.maximumMemberSize))
            } catch {
                throw HostedEngineError.workingDirectory(directory, .fileUnreadable(name: name))
            }
            guard name.hasSuffix(".ovf") else {
                guard String(validating: bytes, as: UTF8.self) != nil else {
                    throw HostedEngineError.workingDirectory(directory, .fileNotUTF8(name: name))
                }
                continue
            }
            let document = try OvfDocument(bytes: bytes, name: name)
            guard name == engineMember, !force, let member = image.layout.members.first(where: { $0.entry.path == name }) else { continue }
            var base: [UInt8] = []
            try image.bytes(member.dataOffset..<(member.dataOffset + member.entry.size)).forEachChunk { base += $0 }
            let reconciled = try OvfDocument(bytes: base, name: name).reconciled(with: document.bytes, force: false)
            if let problem = reconciled.problems.first {
                throw HostedEngineError.workingDirectory(directory, .engineOvfProblem(name: name, problem: problem))
            }
            if reconciled.bytes != bytes {
                throw HostedEngineError.workingDirectory(directory, .engineOvfNotRestated(name: name))
            }
        }
    }
}
