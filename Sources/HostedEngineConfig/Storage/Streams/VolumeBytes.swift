/// A byte range of a volume.
struct VolumeBytes: ByteStream {
    let volume: Volume
    let range: Range<Int64>

    var count: Int { Int(range.count) }

    func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        try volume.forEachChunk(of: range, body)
    }
}
