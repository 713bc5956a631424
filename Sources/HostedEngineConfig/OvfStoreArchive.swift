import ArchiveKit

/// An OVF_STORE volume's archive: `info.json`, one `<vm-uuid>.ovf` per VM, sometimes
/// `metadata.json`. Replacing one OVF keeps every other member's bytes, their order, and the
/// archive's record size.
public struct OvfStoreArchive: StoredArchive {
    public static let backupKind = "ovf-store"
    static let limits = TarArchive.Limits(maximumMembers: 100_000, maximumMemberSize: 64 << 20)
    static let maximumBytesRead: Int64 = 1 << 30
    /// The engine writes OVF_STOREs in 10240-byte records (commons-compress's default).
    static let engineRecordSize = 10240

    public let tar: TarArchive
    public let bytes: [UInt8]
    public let checksum: Checksum
    public let origin: String
    /// 10240 when the archive fills whole 10240-byte records (zeros after its end-of-archive
    /// marker up to the record's end), else 512.
    public let recordSize: Int

    public init(reading volume: Volume) throws {
        let tar: TarArchive
        do {
            let reader = try TarReader(
                fileDescriptor: volume.descriptor, offset: 0, end: min(volume.size, Self.maximumBytesRead), chunkSize: 65536,
                retainingBytes: true)
            tar = try TarArchive(reader: reader, bytes: { reader.retainedBytes }, limits: Self.limits)
        } catch let error as ArchiveError {
            throw ConfigArchive.invalid(volume.path, error)
        }
        var bytes = tar.bytes
        let wanted = min(Self.roundedUp(tar.endOfArchiveOffset + 1024, Self.engineRecordSize), Int(volume.size))
        if bytes.count < wanted {
            bytes += try volume.read(count: wanted - bytes.count, at: Int64(bytes.count))
        }
        try self.init(tar: tar, bytes: bytes, origin: volume.path)
    }

    public init(bytes: [UInt8], origin: String) throws {
        let tar: TarArchive
        do {
            tar = try TarArchive(bytes: bytes, limits: Self.limits)
        } catch let error as ArchiveError {
            throw ConfigArchive.invalid(origin, error)
        }
        try self.init(tar: tar, bytes: bytes, origin: origin)
    }

    private init(tar: TarArchive, bytes available: [UInt8], origin: String) throws {
        let end = min(tar.endOfArchiveOffset + 1024, available.count)
        let record = Self.roundedUp(end, Self.engineRecordSize)
        if record <= available.count, available[end..<record].allSatisfy({ $0 == 0 }) {
            recordSize = Self.engineRecordSize
            bytes = Array(available.prefix(record))
        } else {
            recordSize = 512
            bytes = Array(available.prefix(Self.roundedUp(end, 512)))
        }
        guard !tar.members.isEmpty else {
            throw HostedEngineError.archiveInvalid(path: origin, reason: "the OVF_STORE is empty (the first block is zeros)")
        }
        var seen = Set<[UInt8]>()
        for member in tar.members {
            let entry = member.entry
            let shown = HostedEngineError.printable(entry.path)
            guard entry.pathIsUTF8, entry.warnings.isEmpty, seen.insert(entry.pathBytes).inserted,
                !entry.path.hasPrefix("/"), !entry.path.split(separator: "/").contains("..")
            else {
                throw HostedEngineError.archiveInvalid(path: origin, reason: "the OVF_STORE's member '\(shown)' has a name that is not unique, not UTF-8 or points outside")
            }
            guard entry.kind == .regular else {
                throw HostedEngineError.archiveInvalid(
                    path: origin, reason: "the OVF_STORE's member '\(shown)' is a \(ConfigArchive.describe(entry.kind)), not a regular file")
            }
        }
        self.tar = tar
        self.checksum = Checksum(of: bytes)
        self.origin = origin
    }

    public func contents(of name: String) -> [UInt8]? {
        let wanted = Array(name.utf8)
        return tar.members.first { $0.entry.pathBytes == wanted }?.contents
    }

    /// The archive with member `name` holding `contents`, padded to this archive's record size.
    public func replacing(member name: String, with contents: [UInt8], modificationTime: Int64) throws -> [UInt8] {
        let wanted = Array(name.utf8)
        guard let index = tar.members.firstIndex(where: { $0.entry.pathBytes == wanted }) else {
            throw HostedEngineError.archiveInvalid(path: origin, reason: "the OVF_STORE has no member \(name)")
        }
        do {
            let stream = try tar.replacingContents(ofMemberAt: index, with: contents, modificationTime: modificationTime)
            return stream + [UInt8](repeating: 0, count: Self.roundedUp(stream.count, recordSize) - stream.count)
        } catch let error as ArchiveError {
            throw ConfigArchive.invalid(origin, error)
        }
    }

    static func roundedUp(_ count: Int, _ unit: Int) -> Int {
        max(1, (count + unit - 1) / unit) * unit
    }
}
