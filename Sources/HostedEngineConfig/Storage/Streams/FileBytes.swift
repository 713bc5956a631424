import Glibc

/// A local file that must hold `count` bytes; one that changes size meanwhile is an error.
struct FileBytes: ByteStream {
    let path: String
    let count: Int

    func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        let descriptor = try LocalFile.openForReading(path)
        defer { close(descriptor) }
        var chunk = [UInt8](repeating: 0, count: min(streamChunkSize, max(count, 1)))
        var done = 0
        while true {
            let wanted = min(chunk.count, count + 1 - done)
            let got: Int
            do {
                got = try SystemCalls.read(descriptor, into: &chunk, count: wanted)
            } catch {
                throw HostedEngineError.io(path: path, operation: "read", errno: error.rawValue)
            }
            if got == 0 { break }
            done += got
            guard done <= count else { break }
            try body(Array(chunk[0..<got]))
        }
        guard done == count else {
            throw HostedEngineError.io(path: path, operation: "read (it changed size while being read; try again)", errno: EAGAIN)
        }
    }
}
