/// Bytes delivered in order, piece by piece, as many times as asked: an archive too large to
/// hold in memory (an OVF_STORE of thousands of VMs) is hashed, backed up, journaled and
/// written this way.
public protocol ByteStream {
    var count: Int { get }
    /// Calls `body` with consecutive pieces that together are the `count` bytes.
    func forEachChunk(_ body: ([UInt8]) throws -> Void) throws
}

/// How much of a stream is held at once.
let streamChunkSize = 1 << 20

extension Array: ByteStream where Element == UInt8 {
    public func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        if !isEmpty { try body(self) }
    }
}
