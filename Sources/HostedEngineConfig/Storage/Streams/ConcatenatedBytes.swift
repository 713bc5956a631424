/// Streams one after another.
struct ConcatenatedBytes: ByteStream {
    let parts: [any ByteStream]

    var count: Int { parts.reduce(0) { $0 + $1.count } }

    func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        for part in parts { try part.forEachChunk(body) }
    }
}
