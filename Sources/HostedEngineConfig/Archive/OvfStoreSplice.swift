import ArchiveKit

/// A new OVF_STORE archive made from an image of the old one, as a stream: each member kept (its
/// bytes as they are, headers included), replaced (its headers with a new size, mtime and
/// checksum, then the new contents) or removed; new members appended, with headers in their
/// neighbours' style; then the end-of-archive marker and the record padding the old one had.
/// Kept bytes are read from the volume while the stream is written, so it is written by a
/// compare-and-swap whose base is that image.
struct OvfStoreSplice {
    enum Fate {
        case kept
        case replaced(any ByteStream)
        case removed
    }

    let archive: ConcatenatedBytes

    init(
        image: OvfStoreImage, modificationTime: Int64, added: [(name: String, contents: any ByteStream)] = [],
        fate: (String) throws -> Fate
    ) throws {
        var parts: [any ByteStream] = []
        var length = 0
        func append(_ part: any ByteStream) {
            // A run of kept members is one range of the volume.
            if let range = (part as? VolumeBytes)?.range, let last = parts.last as? VolumeBytes, last.range.upperBound == range.lowerBound {
                parts[parts.count - 1] = image.bytes(last.range.lowerBound..<range.upperBound)
            } else {
                parts.append(part)
            }
            length += part.count
        }
        func appendMember(headers: [UInt8], contents: any ByteStream) {
            append(headers)
            append(contents)
            append(ZeroBytes(count: TarArchive.blockAligned(contents.count) - contents.count))
        }
        for member in image.layout.members {
            switch try fate(member.entry.path) {
            case .kept:
                append(image.bytes(member.span))
            case .removed:
                continue
            case let .replaced(contents):
                var span: [UInt8] = []
                try image.bytes(member.span).forEachChunk { span += $0 }
                do {
                    appendMember(
                        headers: try TarArchive.rewrittenHeaders(
                            ofMember: span[...], dataCount: contents.count, modificationTime: modificationTime),
                        contents: contents)
                } catch let error as ArchiveError {
                    throw HostedEngineError.unreadableArchive(image.volume.path, error)
                }
            }
        }
        if !added.isEmpty {
            let model = try Self.headerModel(image)
            for (name, contents) in added {
                let header: TarHeaderBlock
                do {
                    header = try model.headerForNewFile(
                        named: Array(name.utf8), size: Int64(contents.count), modificationTime: modificationTime)
                } catch let error as ArchiveError {
                    throw HostedEngineError.archiveInvalid(path: image.volume.path, problem: .memberCannotBeAdded(name, why: "\(error)"))
                }
                appendMember(headers: header.bytes, contents: contents)
            }
        }
        let end = length + 2 * TarHeaderBlock.size
        append(ZeroBytes(count: end.roundedUp(toMultipleOf: image.recordSize) - length))
        archive = ConcatenatedBytes(parts: parts)
    }

    /// The main header of the first member that has no extension header: new members are
    /// written in its style. libarchive's ustar header when every member has one.
    private static func headerModel(_ image: OvfStoreImage) throws -> TarHeaderBlock {
        if let plain = image.layout.members.first(where: { $0.dataOffset - $0.span.lowerBound == Int64(TarHeaderBlock.size) }) {
            var block: [UInt8] = []
            try image.bytes(plain.span.lowerBound..<(plain.span.lowerBound + Int64(TarHeaderBlock.size))).forEachChunk { block += $0 }
            if let header = try? TarHeaderBlock(block), header.typeFlag == UInt8(ascii: "0") || header.typeFlag == 0 { return header }
        }
        let writer = try TarWriter(format: .ustar, recordSize: TarHeaderBlock.size)
        var entry = TarEntry(path: "model", size: 0, permissions: 0o644)
        entry.uid = 36
        entry.gid = 36
        try writer.append(entry)
        return try TarHeaderBlock(try writer.finish().prefix(TarHeaderBlock.size))
    }
}
