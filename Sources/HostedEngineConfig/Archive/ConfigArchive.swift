import ArchiveKit

/// The Hosted Engine configuration archive: a tar of five members at offset 0 of the
/// configuration volume, in whole 20480-byte records.
public struct ConfigArchive: Sendable {
    /// Hosts and older engines read exactly this much of the volume.
    public static let recordSize = 20480
    /// What names its backups (`he-conf-<time>-<sha256>.tar`).
    public static let backupKind = "he-conf"
    /// The members every host expects, in the order upstream's editor writes them.
    public static let memberNames = ["version", "fhanswers.conf", "hosted-engine.conf", "broker.conf", "vm.conf"]
    /// Far more than any real archive; they bound what garbage on the volume can make us read.
    static let limits = TarArchive.Limits(maximumMembers: 64, maximumMemberSize: 1 << 20)
    static let maximumBytesRead: Int64 = 16 << 20

    public let tar: TarArchive
    /// The archive as stored: from offset 0 through the record holding the end-of-archive marker.
    public let bytes: [UInt8]
    /// SHA-256 of `bytes`: the base of every compare-and-swap.
    public let checksum: Checksum
    /// Where the archive came from, for messages.
    public let origin: String
    /// How many bytes of the volume reading it took (0 for an archive parsed from memory).
    public let bytesRead: Int64

    /// Reads the archive at the start of `volume`, and nothing past its last record.
    public init(reading volume: Volume) throws {
        let end = min(volume.size, Self.maximumBytesRead)
        let tar: TarArchive
        var bytesRead: Int64
        do {
            let reader = try TarReader(
                fileDescriptor: volume.descriptor, offset: 0, end: end, chunkSize: Self.recordSize, retainingBytes: true)
            tar = try TarArchive(reader: reader, bytes: { reader.retainedBytes }, limits: Self.limits)
            bytesRead = reader.bytesRead
        } catch let error as ArchiveError {
            throw HostedEngineError.unreadableArchive(volume.path, error)
        }
        var bytes = tar.bytes
        let extent = Self.extent(of: tar, available: Int(volume.size))
        if bytes.count < extent {
            let rest = try volume.read(count: extent - bytes.count, at: Int64(bytes.count))
            bytesRead += Int64(rest.count)
            bytes += rest
        }
        try self.init(tar: tar, bytes: Array(bytes.prefix(extent)), origin: volume.path, bytesRead: bytesRead)
    }

    /// Parses an archive held in memory (an upload, a backup, a test).
    public init(bytes: [UInt8], origin: String) throws {
        let tar: TarArchive
        do {
            tar = try TarArchive(bytes: bytes, limits: Self.limits)
        } catch let error as ArchiveError {
            throw HostedEngineError.unreadableArchive(origin, error)
        }
        try self.init(tar: tar, bytes: Array(bytes.prefix(Self.extent(of: tar, available: bytes.count))), origin: origin, bytesRead: 0)
    }

    private init(tar: TarArchive, bytes: [UInt8], origin: String, bytesRead: Int64) throws {
        try Self.checkMembers(of: tar, origin: origin)
        self.tar = tar
        self.bytes = bytes
        self.checksum = Checksum(of: bytes)
        self.origin = origin
        self.bytesRead = bytesRead
    }

    /// Every member's content by name.
    public var memberContents: [String: [UInt8]] {
        var contents: [String: [UInt8]] = [:]
        for member in tar.members { contents[member.entry.path] = member.contents }
        return contents
    }

    /// The archive as it should be written: its bytes padded with zeros to whole records, for
    /// an archive (an upload) that was not written in 20480-byte records.
    public var recordAlignedBytes: [UInt8] {
        bytes + [UInt8](repeating: 0, count: Self.roundedToRecords(bytes.count) - bytes.count)
    }

    /// The content of member `name`.
    public func contents(of name: String) -> [UInt8]? {
        member(named: name)?.contents
    }

    public func member(named name: String) -> TarArchive.Member? {
        let wanted = Array(name.utf8)
        return tar.members.first { $0.entry.pathBytes == wanted }
    }

    /// The archive with member `name` holding `contents`, in whole records; every other member
    /// keeps its bytes. Refuses to grow past one record unless `allowLargeArchive`.
    public func replacing(member name: String, with contents: [UInt8], modificationTime: Int64, allowLargeArchive: Bool) throws -> [UInt8] {
        try replacing([(name, contents)], modificationTime: modificationTime, allowLargeArchive: allowLargeArchive)
    }

    /// The archive with several members replaced, in whole records.
    public func replacing(_ replacements: [(member: String, contents: [UInt8])], modificationTime: Int64, allowLargeArchive: Bool) throws
        -> [UInt8]
    {
        var current = self
        for (name, contents) in replacements {
            let stream = try current.replacingStream(member: name, with: contents, modificationTime: modificationTime)
            current = try ConfigArchive(
                bytes: stream + [UInt8](repeating: 0, count: Self.roundedToRecords(stream.count) - stream.count), origin: origin)
        }
        let size = current.bytes.count
        if size > Self.recordSize, !allowLargeArchive {
            throw HostedEngineError.archiveTooLarge(size: size, limit: Self.recordSize)
        }
        return current.recordAlignedBytes
    }

    /// The tar stream with one member replaced, through its end-of-archive marker.
    private func replacingStream(member name: String, with contents: [UInt8], modificationTime: Int64) throws -> [UInt8] {
        let wanted = Array(name.utf8)
        guard let index = tar.members.firstIndex(where: { $0.entry.pathBytes == wanted }) else {
            throw HostedEngineError.archiveInvalid(path: origin, problem: .lacksMember(name))
        }
        do {
            return try tar.replacingContents(ofMemberAt: index, with: contents, modificationTime: modificationTime)
        } catch let error as ArchiveError {
            throw HostedEngineError.unreadableArchive(origin, error)
        }
    }

    /// At least one record.
    static func roundedToRecords(_ count: Int) -> Int {
        max(count, 1).roundedUp(toMultipleOf: recordSize)
    }

    /// Through the record that holds the end-of-archive marker, but never past the bytes there are.
    static func extent(of tar: TarArchive, available: Int) -> Int {
        min(roundedToRecords(tar.endOfArchiveOffset + 2 * TarHeaderBlock.size), available)
    }

    private static func checkMembers(of tar: TarArchive, origin: String) throws {
        guard !tar.members.isEmpty else {
            throw HostedEngineError.archiveInvalid(path: origin, problem: .empty)
        }
        var seen = Set<[UInt8]>()
        for member in tar.members {
            let entry = member.entry
            let shown = DisplayText.printable(entry.path)
            guard entry.pathIsUTF8 else {
                throw HostedEngineError.archiveInvalid(path: origin, problem: .memberNameNotUTF8(shown))
            }
            if let warning = entry.warnings.first {
                throw HostedEngineError.archiveInvalid(path: origin, problem: .memberWarning(shown, warning: "\(warning)"))
            }
            guard seen.insert(entry.pathBytes).inserted else {
                throw HostedEngineError.archiveInvalid(path: origin, problem: .duplicateMember(shown))
            }
            if entry.path.hasPrefix("/") || entry.path.split(separator: "/").contains("..") {
                throw HostedEngineError.archiveInvalid(path: origin, problem: .memberOutside(shown))
            }
            guard entry.kind == .regular else {
                throw HostedEngineError.archiveInvalid(
                    path: origin, problem: .memberNotRegular(shown, kind: "\(entry.kind)"))
            }
        }
        if let stranger = tar.members.first(where: { !memberNames.contains($0.entry.path) }) {
            throw HostedEngineError.archiveInvalid(
                path: origin, problem: .unexpectedMember(DisplayText.printable(stranger.entry.path), expected: memberNames))
        }
        let missing = memberNames.filter { name in !seen.contains(Array(name.utf8)) }
        if !missing.isEmpty {
            let held = tar.members.map { DisplayText.printable($0.entry.path) }
            throw HostedEngineError.archiveInvalid(path: origin, problem: .lacksMembers(missing, held: held))
        }
    }
}
