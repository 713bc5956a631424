/// One 512-byte tar header block, as raw bytes.
///
/// libarchive decodes headers but cannot write one back byte for byte as another tool wrote it
/// (GNU tar, Python's tarfile and libarchive each format numbers and magic differently). To
/// change a member's size and mtime while every other byte of its header stays as it was, we
/// patch the numeric fields in place, in the style the field already uses, and recompute the
/// checksum.
public struct TarHeaderBlock: Equatable, Sendable {
    public static let size = 512

    /// A numeric header field: offset and width in the block (POSIX ustar layout).
    public struct Field: Sendable, Equatable {
        public let offset: Int
        public let width: Int

        public static let mode = Field(offset: 100, width: 8)
        public static let uid = Field(offset: 108, width: 8)
        public static let gid = Field(offset: 116, width: 8)
        public static let size = Field(offset: 124, width: 12)
        public static let mtime = Field(offset: 136, width: 12)
        public static let checksum = Field(offset: 148, width: 8)
    }

    public private(set) var bytes: [UInt8]

    public init<Bytes: Collection>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        guard bytes.count == Self.size else {
            throw ArchiveError.malformed("a tar header block is 512 bytes, not \(bytes.count)")
        }
        self.bytes = Array(bytes)
    }

    /// The type flag: `0` or NUL for a file, `x` for a pax extended header, `L` for a GNU long name...
    public var typeFlag: UInt8 { bytes[156] }

    /// The checksum as the header computes it: every byte summed, the checksum field read as spaces.
    public var computedChecksum: Int64 {
        var sum: Int64 = 0
        for (index, byte) in bytes.enumerated() {
            sum += (index >= 148 && index < 156) ? 32 : Int64(byte)
        }
        return sum
    }

    public var hasValidChecksum: Bool {
        guard let stored = try? numericValue(.checksum) else { return false }
        return stored == computedChecksum
    }

    /// Decodes a numeric field: octal digits (leading spaces allowed, ended by NUL or space), or
    /// GNU's base-256 form when the first byte has its high bit set.
    public func numericValue(_ field: Field) throws -> Int64 {
        let raw = bytes[field.offset..<(field.offset + field.width)]
        if let first = raw.first, first & 0x80 != 0 {
            guard first == 0x80 else {
                throw ArchiveError.malformed("negative base-256 number in a tar header")
            }
            var value: Int64 = 0
            for byte in raw.dropFirst() {
                guard value <= (Int64.max >> 8) else { throw ArchiveError.malformed("number too large in a tar header") }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        let style = Self.style(of: raw)
        guard style.digits > 0 else {
            if raw.allSatisfy({ $0 == 0 || $0 == 32 }) { return 0 }
            throw ArchiveError.malformed("a numeric tar header field holds no octal digits")
        }
        var value: Int64 = 0
        for byte in raw.dropFirst(style.leadingSpaces).prefix(style.digits) {
            value = value * 8 + Int64(byte - 48)
        }
        let trailer = raw.dropFirst(style.leadingSpaces + style.digits)
        guard trailer.allSatisfy({ $0 == 0 || $0 == 32 }) else {
            throw ArchiveError.malformed("a numeric tar header field holds a character that is not an octal digit")
        }
        return value
    }

    /// Stores `value` in `field` in the style the field already has (same number of digits, same
    /// padding and terminator), falling back to the ustar style, then to base-256, when it does
    /// not fit.
    public mutating func setNumericValue(_ field: Field, _ value: Int64) throws {
        precondition(value >= 0, "tar numbers are not negative")
        let range = field.offset..<(field.offset + field.width)
        let raw = bytes[range]
        let style = Self.style(of: raw)
        let octal = Array(String(value, radix: 8).utf8)
        var replacement: [UInt8]
        if style.digits > 0, raw.first.map({ $0 & 0x80 == 0 }) ?? true, octal.count <= style.digits {
            replacement = Array(repeating: 32, count: style.leadingSpaces)
            replacement += Array(repeating: 48, count: style.digits - octal.count) + octal
            replacement += raw.dropFirst(style.leadingSpaces + style.digits)
        } else if octal.count <= field.width - 1 {
            replacement = Array(repeating: 48, count: field.width - 1 - octal.count) + octal + [0]
        } else {
            guard field != .checksum else { throw ArchiveError.malformed("checksum does not fit its field") }
            replacement =
                [0x80]
                + (0..<(field.width - 1)).reversed().map { byteIndex in
                    let bits = byteIndex * 8
                    return bits >= 64 ? 0 : UInt8(truncatingIfNeeded: value >> bits)
                }
        }
        bytes.replaceSubrange(range, with: replacement)
    }

    /// Recomputes the checksum after an edit, in the checksum field's existing style.
    public mutating func updateChecksum() throws {
        try setNumericValue(.checksum, computedChecksum)
    }

    /// A header for a new regular file in the style of `self` (another member's main header, so
    /// that a member added to an archive looks like its neighbours): same mode, owner, magic and
    /// number formatting; `name`, `size` and `modificationTime` set, the ustar prefix cleared.
    public func headerForNewFile(named name: [UInt8], size: Int64, modificationTime: Int64) throws -> TarHeaderBlock {
        guard typeFlag == UInt8(ascii: "0") || typeFlag == 0 else {
            throw ArchiveError.malformed("only a regular file's header can serve as a model")
        }
        guard !name.isEmpty, name.count <= 100, !name.contains(0) else {
            throw ArchiveError.malformed("a name of \(name.count) bytes does not fit a tar header's 100")
        }
        var header = self
        header.bytes.replaceSubrange(0..<100, with: name + [UInt8](repeating: 0, count: 100 - name.count))
        // ustar's prefix (345..<500) would be joined to the name; GNU headers keep other fields there.
        if Array(bytes[257..<263]) == Array("ustar\0".utf8) {
            header.bytes.replaceSubrange(345..<500, with: [UInt8](repeating: 0, count: 155))
        }
        try header.setNumericValue(.size, size)
        try header.setNumericValue(.mtime, modificationTime)
        try header.updateChecksum()
        return header
    }

    private static func style(of raw: ArraySlice<UInt8>) -> (leadingSpaces: Int, digits: Int) {
        let leading = raw.prefix { $0 == 32 }.count
        let digits = raw.dropFirst(leading).prefix { $0 >= 48 && $0 <= 55 }.count
        return (leading, digits)
    }
}
