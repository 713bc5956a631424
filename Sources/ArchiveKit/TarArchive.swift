/// A tar stream held in memory with the place of every member in it, so one member's content
/// can be replaced while every other byte of the stream stays as it was.
public struct TarArchive: Sendable {
    public struct Member: Sendable {
        public let entry: TarEntry
        /// The member's data; empty for members that carry none.
        public let contents: [UInt8]
        /// Bytes of the stream from the member's first header block (extension headers
        /// included) to the end of its padded data.
        public let span: Range<Int>
    }

    public struct Limits: Sendable {
        public var maximumMembers: Int
        public var maximumMemberSize: Int64

        public init(maximumMembers: Int, maximumMemberSize: Int64) {
            self.maximumMembers = maximumMembers
            self.maximumMemberSize = maximumMemberSize
        }
    }

    /// The stream's bytes, at least through the end-of-archive marker.
    public let bytes: [UInt8]
    public let members: [Member]
    /// Where the end-of-archive marker starts.
    public let endOfArchiveOffset: Int

    /// Parses an in-memory stream.
    public init(bytes: [UInt8], limits: Limits) throws {
        let reader = try TarReader(bytes: bytes)
        try self.init(reader: reader, bytes: { bytes }, limits: limits)
    }

    /// Walks `reader` to its end-of-archive marker, reading every member's data; then takes the
    /// stream's bytes from `bytes` (for a file source, what the reader retained).
    public init(reader: TarReader, bytes: () throws -> [UInt8], limits: Limits) throws {
        var found: [(entry: TarEntry, contents: [UInt8])] = []
        while let entry = try reader.nextEntry() {
            guard found.count < limits.maximumMembers else {
                throw ArchiveError.limitExceeded("the archive holds more than \(limits.maximumMembers) members")
            }
            if entry.size > limits.maximumMemberSize {
                throw ArchiveError.entryTooLarge(path: entry.path, size: entry.size, limit: limits.maximumMemberSize)
            }
            let contents = entry.kind == .regular ? try reader.readData(limit: limits.maximumMemberSize) : []
            found.append((entry, contents))
        }
        guard let end = reader.endOfArchiveOffset else {
            throw ArchiveError.malformed("the archive has no end")
        }
        let stream = try bytes()
        guard end <= stream.count else {
            throw ArchiveError.malformed("the archive ends past the bytes read")
        }
        var members: [Member] = []
        for (index, item) in found.enumerated() {
            let start = Int(item.entry.headerOffset)
            let stop = index + 1 < found.count ? Int(found[index + 1].entry.headerOffset) : Int(end)
            guard start < stop else {
                throw ArchiveError.malformed("member \(item.entry.path) has no bytes of its own")
            }
            members.append(Member(entry: item.entry, contents: item.contents, span: start..<stop))
        }
        self.bytes = stream
        self.members = members
        self.endOfArchiveOffset = Int(end)
    }

    /// The stream with member `index`'s data replaced by `contents` and its mtime set to
    /// `modificationTime`: only that member's size, mtime, checksum and data change (and the
    /// same fields of its pax extended header, when it has one). Ends with the two zero blocks of
    /// the end-of-archive marker; padding the last record is the caller's choice.
    public func replacingContents(ofMemberAt index: Int, with contents: [UInt8], modificationTime: Int64) throws -> [UInt8] {
        let span = members[index].span
        var out: [UInt8] = []
        out.reserveCapacity(endOfArchiveOffset + contents.count + 2048)
        out += bytes[0..<span.lowerBound]
        out += try Self.rewriteMember(bytes[span], contents: contents, modificationTime: modificationTime)
        out += bytes[span.upperBound..<endOfArchiveOffset]
        out += [UInt8](repeating: 0, count: 2 * TarHeaderBlock.size)
        return out
    }

    /// Rounds `count` up to whole 512-byte blocks.
    public static func blockAligned(_ count: Int) -> Int {
        (count + TarHeaderBlock.size - 1) / TarHeaderBlock.size * TarHeaderBlock.size
    }

    static func padded(_ data: [UInt8]) -> [UInt8] {
        data + [UInt8](repeating: 0, count: blockAligned(data.count) - data.count)
    }

    private static func rewriteMember(_ span: ArraySlice<UInt8>, contents: [UInt8], modificationTime: Int64) throws -> [UInt8] {
        try rewrittenHeaders(ofMember: span, dataCount: contents.count, modificationTime: modificationTime) + padded(contents)
    }

    /// The header blocks of the member whose bytes are `span` (its headers and its padded data),
    /// rewritten for new data of `dataCount` bytes changed at `modificationTime`: the size, mtime
    /// and checksum fields change (and those of its pax extended header), every other byte stays.
    /// The new data, padded to whole blocks, goes after them.
    public static func rewrittenHeaders(ofMember span: ArraySlice<UInt8>, dataCount: Int, modificationTime: Int64) throws -> [UInt8] {
        var out: [UInt8] = []
        var position = span.startIndex
        var paxSize: Int64?
        while true {
            guard position + TarHeaderBlock.size <= span.endIndex else {
                throw ArchiveError.malformed("a member's headers run past its end")
            }
            var header = try TarHeaderBlock(span[position..<(position + TarHeaderBlock.size)])
            guard header.hasValidChecksum else {
                throw ArchiveError.malformed("a tar header has a bad checksum")
            }
            let size = try header.numericValue(.size)
            let dataStart = position + TarHeaderBlock.size
            switch header.typeFlag {
            case UInt8(ascii: "x"):
                guard size >= 0, size <= Int64(span.endIndex - dataStart) else {
                    throw ArchiveError.malformed("a pax header runs past its member")
                }
                var records = try PaxRecords(parsing: span[dataStart..<(dataStart + Int(size))])
                if let recorded = records["size"] { paxSize = Int64(recorded) }
                records.replaceValue(of: "mtime", with: String(modificationTime))
                records.replaceValue(of: "size", with: String(dataCount))
                let data = records.serialized()
                try header.setNumericValue(.size, Int64(data.count))
                try header.updateChecksum()
                out += header.bytes + padded(data)
                position = dataStart + blockAligned(Int(size))
            case UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "V"):
                // Global pax headers, GNU long names and volume labels say nothing about size
                // or mtime; they stay as they are.
                guard size >= 0, size <= Int64(span.endIndex - dataStart),
                    dataStart + blockAligned(Int(size)) <= span.endIndex
                else {
                    throw ArchiveError.malformed("an extension header runs past its member")
                }
                let end = dataStart + blockAligned(Int(size))
                out += span[position..<end]
                position = end
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                let oldSize = paxSize ?? size
                guard oldSize >= 0, oldSize <= Int64(span.endIndex - dataStart),
                    dataStart + blockAligned(Int(oldSize)) == span.endIndex
                else {
                    throw ArchiveError.malformed("a member's data does not end where the next member starts")
                }
                try header.setNumericValue(.size, Int64(dataCount))
                try header.setNumericValue(.mtime, modificationTime)
                try header.updateChecksum()
                return out + header.bytes
            default:
                throw ArchiveError.malformed("only a regular file's content can be replaced")
            }
        }
    }
}
