/// Where each member of a tar stream lies, found by walking its headers without keeping any
/// member's data: for streams too large to hold in memory (an OVF_STORE of thousands of VMs).
public struct TarLayout: Sendable {
    public struct Member: Sendable {
        public let entry: TarEntry
        /// Offsets in the stream from the member's first header block (extension headers
        /// included) to the end of its padded data.
        public let span: Range<Int64>

        /// Where the member's data starts.
        public var dataOffset: Int64 {
            span.upperBound - Int64(TarArchive.blockAligned(Int(entry.kind == .regular ? entry.size : 0)))
        }
    }

    public let members: [Member]
    /// Where the end-of-archive marker starts.
    public let endOfArchiveOffset: Int64

    /// Walks `reader` to its end-of-archive marker. `visit` sees each member as it comes and may
    /// read its data from the reader; data it leaves unread is skipped.
    public init(reader: TarReader, limits: TarArchive.Limits, visit: (TarEntry, TarReader) throws -> Void = { _, _ in }) throws {
        var entries: [TarEntry] = []
        while let entry = try reader.nextEntry() {
            guard entries.count < limits.maximumMembers else {
                throw ArchiveError.limitExceeded("the archive holds more than \(limits.maximumMembers) members")
            }
            if entry.size > limits.maximumMemberSize {
                throw ArchiveError.entryTooLarge(path: entry.path, size: entry.size, limit: limits.maximumMemberSize)
            }
            entries.append(entry)
            try visit(entry, reader)
        }
        guard let end = reader.endOfArchiveOffset else {
            throw ArchiveError.malformed("the archive has no end")
        }
        var members: [Member] = []
        members.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            let start = entry.headerOffset
            let stop = index + 1 < entries.count ? entries[index + 1].headerOffset : end
            let data = Int64(TarArchive.blockAligned(Int(entry.kind == .regular ? entry.size : 0)))
            guard start + Int64(TarHeaderBlock.size) + data <= stop else {
                throw ArchiveError.malformed("member \(entry.path) has fewer bytes than its headers and data need")
            }
            members.append(Member(entry: entry, span: start..<stop))
        }
        self.members = members
        self.endOfArchiveOffset = end
    }
}
