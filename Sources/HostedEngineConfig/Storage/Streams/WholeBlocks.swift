/// A stream regrouped for writing to a volume: pieces of about `streamChunkSize`, however small
/// its own (thousands of OVFs of 16 KiB would otherwise be thousands of writes), and every
/// piece but the last a whole number of 4096-byte blocks, so that each lands where O_DIRECT
/// accepts it.
struct WholeBlocks<Base: ByteStream>: ByteStream {
    let base: Base

    var count: Int { base.count }

    func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        var pending: [UInt8] = []
        pending.reserveCapacity(2 * streamChunkSize)
        try base.forEachChunk { chunk in
            pending += chunk
            if pending.count >= streamChunkSize {
                let whole = pending.count.roundedDown(toMultipleOf: 4096)
                try body(Array(pending[0..<whole]))
                pending.removeFirst(whole)
            }
        }
        if !pending.isEmpty { try body(pending) }
    }
}
