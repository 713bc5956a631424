import Crypto

/// The SHA-256 of an archive's bytes, written `sha256:<64 hex digits>`.
public struct Checksum: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let hex: String

    public init(of bytes: [UInt8]) {
        hex = SHA256.hash(data: bytes).map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
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
