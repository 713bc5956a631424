import CArchive
import Glibc

/// Reads a tar stream through libarchive, one member at a time.
///
/// The stream comes from memory or from a byte range of a file descriptor. A file range is read
/// with `pread` in chunks of `chunkSize`, so the caller controls exactly how much of a large
/// volume is touched: reading stops at the end-of-archive marker, never at the end of the device.
public final class TarReader {
    public enum Compression: Sendable {
        /// A plain tar stream; anything else is an error.
        case none
        /// Plain or gzip-compressed, as the bytes say.
        case gzipOrNone
    }

    private let archive: OpaquePointer
    private let source: ReadSource
    private var atEnd = false
    /// libarchive's entry for the header `nextEntry()` returned last; owned by the handle.
    private var currentEntry: OpaquePointer?

    /// Offset in the (uncompressed) stream where the end-of-archive marker starts, once
    /// `nextEntry()` has returned nil.
    public private(set) var endOfArchiveOffset: Int64?

    /// Reads `bytes`.
    public convenience init(bytes: [UInt8], compression: Compression = .none) throws {
        try self.init(source: ReadSource(bytes: bytes), compression: compression)
    }

    /// Reads `fileDescriptor` from `offset` up to `end` (exclusive), `chunkSize` bytes per read.
    /// With `retainingBytes`, every byte read is kept and available as `retainedBytes`;
    /// `observingReads` sees each piece read, in order, as it comes (to hash a stream too
    /// large to keep in one pass). `chunkSize` and `offset` must be multiples of 4096 when the
    /// descriptor uses O_DIRECT.
    public convenience init(
        fileDescriptor: Int32, offset: Int64 = 0, end: Int64, chunkSize: Int = 20480,
        retainingBytes: Bool = false, compression: Compression = .none,
        observingReads observer: ((UnsafeRawBufferPointer) -> Void)? = nil
    ) throws {
        let source = try ReadSource(
            fileDescriptor: fileDescriptor, offset: offset, end: end, chunkSize: chunkSize,
            retaining: retainingBytes)
        source.observer = observer
        try self.init(source: source, compression: compression)
    }

    private init(source: ReadSource, compression: Compression) throws {
        self.archive = try ArchiveError.handle("archive_read_new") { archive_read_new() }
        self.source = source
        archive_read_support_format_tar(archive)
        if compression == .gzipOrNone {
            archive_read_support_filter_gzip(archive)
        }
        let status = source.open(archive)
        if status != ARCHIVE_OK {
            // deinit frees the handle: every stored property is set by now.
            throw source.failure ?? libarchiveError("cannot open the tar stream", status)
        }
    }

    deinit {
        archive_read_free(archive)
    }

    /// Bytes of the source consumed by reads so far (including read-ahead past the current member).
    public var bytesRead: Int64 { source.bytesRead }

    /// Every byte read from a file source so far, from `offset`, when created with `retainingBytes`.
    public var retainedBytes: [UInt8] { source.retained }

    /// The next member's header, or nil at the end of the archive. The previous member's data,
    /// if not read, is skipped.
    public func nextEntry() throws -> TarEntry? {
        if atEnd { return nil }
        var entryPointer: OpaquePointer?
        let status = archive_read_next_header(archive, &entryPointer)
        switch status {
        case ARCHIVE_EOF:
            atEnd = true
            endOfArchiveOffset = archive_read_header_position(archive)
            return nil
        case ARCHIVE_OK, ARCHIVE_WARN:
            guard let entry = entryPointer else {
                throw ArchiveError.malformed("libarchive returned a header without an entry")
            }
            currentEntry = entry
            var warnings: [String] = []
            if status == ARCHIVE_WARN {
                warnings.append(ArchiveError.message(of: archive) ?? "warning")
            }
            return Self.decode(entry, headerOffset: archive_read_header_position(archive), warnings: warnings)
        default:
            throw source.failure ?? libarchiveError("cannot read the next tar header", status)
        }
    }

    /// The current member's data. Stops with an error as soon as more than `limit` bytes come,
    /// so a hostile size field cannot make the reader allocate without bound.
    public func readData(limit: Int64) throws -> [UInt8] {
        var result: [UInt8] = []
        try readData { chunk in
            result.append(contentsOf: chunk)
            if Int64(result.count) > limit {
                throw ArchiveError.limitExceeded("member data exceeds \(limit) bytes")
            }
        }
        return result
    }

    /// Hands the current member's data to `body` piece by piece, holding none of it. The holes
    /// of a sparse member come as zeros, as `archive_read_data` gives them.
    public func readData(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var position: Int64 = 0
        func zeros(until offset: Int64) throws {
            guard position < offset else { return }
            let zeros = [UInt8](repeating: 0, count: 65536)
            while position < offset {
                let count = Int(min(Int64(zeros.count), offset - position))
                try zeros.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                position += Int64(count)
            }
        }
        while true {
            var block: UnsafeRawPointer?
            var count = 0
            var offset: la_int64_t = 0
            let status = archive_read_data_block(archive, &block, &count, &offset)
            if status == ARCHIVE_EOF {
                // A sparse member may end in a hole.
                let size = currentEntry.flatMap { archive_entry_size_is_set($0) != 0 ? archive_entry_size($0) : nil }
                return try zeros(until: size ?? position)
            }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                throw source.failure ?? libarchiveError("cannot read member data", status)
            }
            try zeros(until: offset)
            if count > 0 { try body(UnsafeRawBufferPointer(start: block, count: count)) }
            position = offset + Int64(count)
        }
    }

    private func libarchiveError(_ operation: String, _ status: Int32) -> ArchiveError {
        .libarchive(archive, operation, status: status)
    }

    private static func decode(_ entry: OpaquePointer, headerOffset: Int64, warnings: [String]) -> TarEntry {
        let path: [UInt8]
        if let raw = archive_entry_pathname(entry) {
            path = Array(UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw)))
        } else {
            path = []
        }
        let kind: TarEntry.Kind
        if archive_entry_hardlink(entry) != nil {
            kind = .hardLink
        } else {
            switch archive_entry_filetype(entry) & CARCHIVE_IFMT {
            case CARCHIVE_IFREG: kind = .regular
            case CARCHIVE_IFDIR: kind = .directory
            case CARCHIVE_IFLNK: kind = .symbolicLink
            case CARCHIVE_IFCHR: kind = .characterDevice
            case CARCHIVE_IFBLK: kind = .blockDevice
            case CARCHIVE_IFIFO: kind = .fifo
            case CARCHIVE_IFSOCK: kind = .socket
            default: kind = .other
            }
        }
        let link = archive_entry_hardlink(entry) ?? archive_entry_symlink(entry)
        return TarEntry(
            pathBytes: path,
            kind: kind,
            size: archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : 0,
            permissions: UInt32(archive_entry_perm(entry)) & 0o7777,
            uid: archive_entry_uid(entry),
            gid: archive_entry_gid(entry),
            userName: archive_entry_uname(entry).map { String(cString: $0) },
            groupName: archive_entry_gname(entry).map { String(cString: $0) },
            modificationTime: Int64(archive_entry_mtime(entry)),
            linkTarget: link.map { String(cString: $0) },
            headerOffset: headerOffset,
            warnings: warnings)
    }
}
