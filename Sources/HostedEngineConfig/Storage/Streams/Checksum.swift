import Crypto

/// The SHA-256 of an archive's bytes, written `sha256:<64 hex digits>`.
public struct Checksum: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let hex: String

    public init(of bytes: [UInt8]) {
        self.init(digest: SHA256.hash(data: bytes))
    }

    /// The checksum of a stream, read once, piece by piece.
    public init(streaming stream: some ByteStream) throws {
        var hasher = SHA256()
        try stream.forEachChunk { hasher.update(data: $0) }
        self.init(digest: hasher.finalize())
    }

    init(digest: SHA256.Digest) {
        self.init(digestBytes: Array(digest))
    }

    /// The 32 bytes of a SHA-256 digest.
    init(digestBytes: [UInt8]) {
        hex = digestBytes.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }

    /// The 32 bytes of the digest.
    var digestBytes: [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    /// Parses `sha256:<64 hex digits>`; nil for anything else, a prefix included.
    public init?(parsing text: String) {
        guard text.hasPrefix("sha256:") else { return nil }
        let digits = text.dropFirst("sha256:".count).lowercased()
        guard digits.utf8.count == 64, digits.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        hex = digits
    }

    public var description: String { "sha256:\(hex)" }
}
