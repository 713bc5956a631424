import ArchiveKit
import Glibc

/// An OVF_STORE's archive as it lies on its volume, walked without holding it: where each member
/// is, how many bytes the archive fills as stored, and its checksum (the same as
/// `OvfStoreArchive`'s, so either can be the base of the other's compare-and-swap).
struct OvfStoreImage {
    let volume: Volume
    let layout: TarLayout
    /// The archive as stored, through its last record.
    let count: Int
    let recordSize: Int
    /// Of the archive's `count` bytes; nil when not asked for.
    let storedChecksum: Checksum?

    var checksum: Checksum { storedChecksum! }

    /// Walks the archive at the start of `volume`; `visit` sees each member as the walk reaches
    /// it and may read its data. Without `hashing` the checksum is left out (a read that needs
    /// no base).
    init(volume: Volume, hashing: Bool = true, visit: (TarEntry, TarReader) throws -> Void = { _, _ in }) throws {
        let end = min(volume.size, OvfStoreArchive.maximumBytesRead)
        let layout: TarLayout
        // The walk reads the archive once; what it reads is hashed as it goes, so the checksum
        // needs no second pass.
        let hasher = hashing ? ReadHasher() : nil
        do {
            let reader = try TarReader(
                fileDescriptor: volume.descriptor, offset: 0, end: end, chunkSize: streamChunkSize,
                observingReads: hashing || volume.settings.progress != nil
                    ? { chunk in
                        hasher?.add(chunk)
                        volume.reportProgress(reading: chunk.count)
                    } : nil)
            var seen = Set<[UInt8]>()
            layout = try TarLayout(reader: reader, limits: OvfStoreArchive.limits) { entry, reader in
                try OvfStoreArchive.check(entry, seen: &seen, origin: volume.path)
                try visit(entry, reader)
            }
        } catch let error as ArchiveError {
            throw HostedEngineError.unreadableArchive(volume.path, error)
        }
        guard !layout.members.isEmpty else {
            throw HostedEngineError.archiveInvalid(path: volume.path, problem: .storeEmpty)
        }
        let stored = try Self.storedCount(volume, endOfArchive: layout.endOfArchiveOffset, available: end)
        self.volume = volume
        self.layout = layout
        self.count = stored.count
        self.recordSize = stored.recordSize
        self.storedChecksum = try hasher.map { hasher in
            try hasher.checksum(ofFirst: stored.count, volume: volume)
                ?? Checksum(streaming: VolumeBytes(volume: volume, range: 0..<Int64(stored.count)))
        }
    }

    /// How many bytes the archive fills as stored, and its record size: whole 10240-byte
    /// records when zeros run from its end-of-archive marker to the record's end, else whole
    /// 512-byte blocks (never past the `available` bytes).
    private static func storedCount(_ volume: Volume, endOfArchive: Int64, available: Int64) throws -> (count: Int, recordSize: Int) {
        let end = Int(min(endOfArchive + 1024, available))
        let record = end.roundedUp(toMultipleOf: OvfStoreArchive.engineRecordSize)
        if record <= available {
            var tail: [UInt8] = []
            try VolumeBytes(volume: volume, range: Int64(end)..<Int64(record)).forEachChunk { tail += $0 }
            if tail.allSatisfy({ $0 == 0 }) { return (record, OvfStoreArchive.engineRecordSize) }
        }
        return (min(end.roundedUp(toMultipleOf: 512), Int(available)), 512)
    }

    func bytes(_ range: Range<Int64>) -> VolumeBytes {
        VolumeBytes(volume: volume, range: range)
    }

    /// The image as the last write left it, read without a lock (see `Journal.readConsistently`;
    /// a pending write is waited for). `start` runs before each attempt, to undo what a
    /// discarded attempt's `visit` did.
    static func readConsistently(
        _ volume: Volume, lockTimeout: Double, hashing: Bool = true, start: () throws -> Void = {},
        visit: (TarEntry, TarReader) throws -> Void = { _, _ in }
    ) throws -> OvfStoreImage {
        let image = try Journal.readConsistently(volume, lockTimeout: lockTimeout) { volume in
            try start()
            return try OvfStoreImage(volume: volume, hashing: hashing, visit: visit)
        }
        let checksum = image.storedChecksum.map { ", \($0)" } ?? ""
        volume.settings.logger.info(
            "Read the OVF_STORE archive of \(volume.path): \(image.count) bytes in \(image.recordSize)-byte records, \(image.layout.members.count) members\(checksum)"
        )
        return image
    }

    /// The image read as `readConsistently` reads it, with the contents of member `name` (nil
    /// when the archive has no such member).
    static func reading(_ volume: Volume, member name: String, hashing: Bool = true, lockTimeout: Double) throws -> (
        image: OvfStoreImage, contents: [UInt8]?
    ) {
        var contents: [UInt8]?
        let image = try readConsistently(volume, lockTimeout: lockTimeout, hashing: hashing) {
            contents = nil
        } visit: { entry, reader in
            guard entry.path == name else { return }
            do {
                contents = try reader.readData(limit: OvfStoreArchive.limits.maximumMemberSize)
            } catch let error as ArchiveError {
                throw HostedEngineError.unreadableArchive(volume.path, error)
            }
        }
        return (image, contents)
    }

    /// The archive with member `name` holding `contents` (changed at `modificationTime`), as a
    /// stream of this image's bytes around the new member: to be written by a compare-and-swap
    /// whose base is this image, which checks the volume still holds it before reading it.
    func replacing(member name: String, with contents: [UInt8], modificationTime: Int64) throws -> ConcatenatedBytes {
        guard layout.members.contains(where: { $0.entry.path == name }) else {
            throw HostedEngineError.archiveInvalid(path: volume.path, problem: .storeLacksMember(name))
        }
        return try OvfStoreSplice(image: self, modificationTime: modificationTime) { member in
            member == name ? .replaced(contents) : .kept
        }.archive
    }

    /// The checksum of what a compare-and-swap just wrote (its journal record's new archive), as
    /// the next read will compute it.
    func checksumAfterWriting(_ record: Journal.Header) throws -> Checksum {
        // Whole engine records end the archive where its stored length does; with 512-byte
        // ones, zeros after it may count, so it is read back.
        recordSize == OvfStoreArchive.engineRecordSize
            ? Checksum(digestBytes: record.newHash) : try OvfStoreImage(volume: volume).checksum
    }
}
