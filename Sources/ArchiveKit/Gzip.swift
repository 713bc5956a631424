import CArchive
import Glibc

/// gzip compression of exact bytes through libarchive's zlib filter. libarchive's "raw" format
/// passes one member's data through untouched, so a compressed download decompresses to the
/// archive byte for byte.
public enum Gzip {
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    public static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let archive = try ArchiveError.handle("archive_write_new") { archive_write_new() }
        defer { archive_write_free(archive) }
        let sink = WriteSink(descriptor: nil)
        func check(_ status: Int32, _ operation: String) throws {
            guard status == ARCHIVE_OK else {
                throw sink.failure ?? ArchiveError.libarchive(archive, operation, status: status)
            }
        }
        try check(archive_write_set_format_raw(archive), "cannot select the raw format")
        try check(archive_write_add_filter_gzip(archive), "cannot enable gzip compression")
        try check(archive_write_set_bytes_in_last_block(archive, 1), "cannot set the last block size")
        try check(sink.open(archive), "cannot open the gzip stream")
        let entry = try ArchiveError.handle("archive_entry_new") { archive_entry_new() }
        defer { archive_entry_free(entry) }
        archive_entry_set_filetype(entry, CARCHIVE_IFREG)
        archive_entry_copy_pathname(entry, "data")
        archive_entry_set_size(entry, Int64(bytes.count))
        try check(archive_write_header(archive, entry), "cannot start the gzip stream")
        if !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
            try check(written == bytes.count ? ARCHIVE_OK : ARCHIVE_FATAL, "cannot compress")
        }
        try check(archive_write_close(archive), "cannot finish the gzip stream")
        return sink.collected
    }

    /// The decompressed bytes; refuses more than `limit` of them.
    public static func decompress(_ bytes: [UInt8], limit: Int64) throws -> [UInt8] {
        let source = ReadSource(bytes: bytes)
        let archive = try ArchiveError.handle("archive_read_new") { archive_read_new() }
        defer { archive_read_free(archive) }
        func failure(_ status: Int32, _ operation: String) -> ArchiveError {
            .libarchive(archive, operation, status: status)
        }
        archive_read_support_filter_gzip(archive)
        archive_read_support_format_raw(archive)
        let opened = source.open(archive)
        guard opened == ARCHIVE_OK else { throw failure(opened, "cannot open the gzip stream") }
        var entry: OpaquePointer?
        let header = archive_read_next_header(archive, &entry)
        guard header == ARCHIVE_OK else { throw failure(header, "cannot read the gzip stream") }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
            if count < 0 { throw failure(Int32(count), "cannot decompress") }
            if count == 0 { break }
            result += chunk[0..<count]
            if Int64(result.count) > limit {
                throw ArchiveError.limitExceeded("the decompressed data exceeds \(limit) bytes")
            }
        }
        // libarchive does not check gzip's trailer; a damaged file must not pass as a changed one.
        guard bytes.count >= 18 else { throw ArchiveError.malformed("the gzip file is truncated") }
        let trailer = bytes.suffix(8).map(UInt32.init)
        let storedCRC = trailer[0] | trailer[1] << 8 | trailer[2] << 16 | trailer[3] << 24
        let storedSize = trailer[4] | trailer[5] << 8 | trailer[6] << 16 | trailer[7] << 24
        guard storedCRC == crc32(result), storedSize == UInt32(truncatingIfNeeded: result.count) else {
            throw ArchiveError.malformed("the gzip file is damaged (its checksum does not match its content)")
        }
        return result
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// The CRC-32 gzip stores (IEEE 802.3, reflected).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
