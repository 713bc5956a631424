import Glibc

/// A byte range of a volume's journal (in the volume or beside it).
struct JournalBytes: ByteStream {
    let volume: Volume
    let offset: Int64
    let count: Int

    func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        var done = 0
        while done < count {
            let piece = min(streamChunkSize, count - done)
            guard let chunk = try volume.readJournal(count: piece, at: offset + Int64(done)), chunk.count == piece else {
                throw HostedEngineError.io(path: volume.path, operation: "read the journal of", errno: EIO)
            }
            try body(chunk)
            done += piece
        }
    }
}
