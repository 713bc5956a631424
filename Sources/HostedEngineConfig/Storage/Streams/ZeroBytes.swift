/// Zeros: tar padding and the end-of-archive marker.
struct ZeroBytes: ByteStream {
    let count: Int

    func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        var left = count
        while left > 0 {
            let piece = min(left, streamChunkSize)
            try body([UInt8](repeating: 0, count: piece))
            left -= piece
        }
    }
}
