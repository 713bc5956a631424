import CArchive
import Glibc

/// Writes a tar stream through libarchive, to memory or to a file descriptor.
public final class TarWriter {
    public enum Format: Sendable {
        case ustar, gnu, pax, paxRestricted
    }

    public enum Compression: Sendable {
        case none, gzip
    }

    private let archive: OpaquePointer
    private let sink: WriteSink
    private var finished = false

    /// A writer whose output is collected in memory and returned by `finish()`.
    public convenience init(format: Format = .ustar, compression: Compression = .none, recordSize: Int = 10240) throws {
        try self.init(sink: WriteSink(descriptor: nil), format: format, compression: compression, recordSize: recordSize)
    }

    /// A writer that writes to `fileDescriptor` as it goes.
    public convenience init(
        fileDescriptor: Int32, format: Format = .ustar, compression: Compression = .none, recordSize: Int = 10240
    ) throws {
        try self.init(sink: WriteSink(descriptor: fileDescriptor), format: format, compression: compression, recordSize: recordSize)
    }

    private init(sink: WriteSink, format: Format, compression: Compression, recordSize: Int) throws {
        let archive = try ArchiveError.handle("archive_write_new") { archive_write_new() }
        self.archive = archive
        self.sink = sink
        do {
            try check(
                {
                    switch format {
                    case .ustar: archive_write_set_format_ustar(archive)
                    case .gnu: archive_write_set_format_gnutar(archive)
                    case .pax: archive_write_set_format_pax(archive)
                    case .paxRestricted: archive_write_set_format_pax_restricted(archive)
                    }
                }(), "cannot select the tar format")
            if compression == .gzip {
                try check(archive_write_add_filter_gzip(archive), "cannot enable gzip compression")
            }
            try check(archive_write_set_bytes_per_block(archive, Int32(recordSize)), "cannot set the record size")
            // Without this a callback writer leaves the last record short instead of padding it.
            try check(
                archive_write_set_bytes_in_last_block(archive, compression == .none ? Int32(recordSize) : 1),
                "cannot set the last record size")
            try check(sink.open(archive), "cannot open the tar stream for writing")
        } catch {
            // deinit marks the handle failed and frees it: every stored property is set by now.
            throw error
        }
    }

    deinit {
        if !finished {
            // An abandoned writer must not emit a trailer after a partial stream.
            archive_write_fail(archive)
        }
        archive_write_free(archive)
    }

    /// Appends one member. `entry.size` is taken from `contents` for regular files.
    public func append(_ entry: TarEntry, contents: [UInt8] = []) throws {
        let item = try ArchiveError.handle("archive_entry_new") { archive_entry_new() }
        defer { archive_entry_free(item) }
        var path = entry.pathBytes
        path.append(0)
        path.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                archive_entry_copy_pathname(item, $0)
            }
        }
        let fileType: UInt32
        switch entry.kind {
        case .regular, .hardLink, .other, .socket: fileType = CARCHIVE_IFREG
        case .directory: fileType = CARCHIVE_IFDIR
        case .symbolicLink: fileType = CARCHIVE_IFLNK
        case .characterDevice: fileType = CARCHIVE_IFCHR
        case .blockDevice: fileType = CARCHIVE_IFBLK
        case .fifo: fileType = CARCHIVE_IFIFO
        }
        archive_entry_set_filetype(item, fileType)
        archive_entry_set_perm(item, mode_t(entry.permissions))
        archive_entry_set_uid(item, entry.uid)
        archive_entry_set_gid(item, entry.gid)
        if let user = entry.userName { archive_entry_copy_uname(item, user) }
        if let group = entry.groupName { archive_entry_copy_gname(item, group) }
        archive_entry_set_mtime(item, time_t(entry.modificationTime), 0)
        switch entry.kind {
        case .symbolicLink: archive_entry_copy_symlink(item, entry.linkTarget ?? "")
        case .hardLink: archive_entry_copy_hardlink(item, entry.linkTarget ?? "")
        default: break
        }
        let carriesData = entry.kind == .regular
        archive_entry_set_size(item, carriesData ? Int64(contents.count) : 0)
        try check(archive_write_header(archive, item), "cannot write the header of \(entry.path)")
        if carriesData, !contents.isEmpty {
            let written = contents.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
            if written < 0 || written != contents.count {
                throw sink.failure ?? error("cannot write the data of \(entry.path)", Int32(written))
            }
        }
    }

    /// Writes the end-of-archive marker and pads the last record. Returns the stream when the
    /// writer collects to memory, and an empty array when it wrote to a descriptor.
    @discardableResult
    public func finish() throws -> [UInt8] {
        finished = true
        try check(archive_write_close(archive), "cannot finish the tar stream")
        return sink.collected
    }

    private func check(_ status: Int32, _ operation: String) throws {
        if status == ARCHIVE_OK { return }
        if status == ARCHIVE_WARN {
            // libarchive warns when it cannot represent something faithfully (a name it cannot
            // convert, a value that does not fit); a silent approximation is not acceptable here.
            throw error(operation, status)
        }
        throw sink.failure ?? error(operation, status)
    }

    private func error(_ operation: String, _ status: Int32) -> ArchiveError {
        .libarchive(archive, operation, status: status)
    }
}
