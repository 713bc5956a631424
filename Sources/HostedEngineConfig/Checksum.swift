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

    public var description: String { "sha256:\(hex)" }
}
