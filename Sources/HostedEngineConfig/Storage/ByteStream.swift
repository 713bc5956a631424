import Glibc

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

/// A byte range of a volume.
struct VolumeBytes: ByteStream {
    let volume: Volume
    let range: Range<Int64>

    var count: Int { Int(range.count) }

    func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        try volume.forEachChunk(of: range, body)
    }
}

/// A local file that must hold `count` bytes; one that changes size meanwhile is an error.
struct FileBytes: ByteStream {
    let path: String
    let count: Int

    func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { throw HostedEngineError.io(path: path, operation: "read", errno: errno) }
        defer { close(descriptor) }
        var chunk = [UInt8](repeating: 0, count: min(streamChunkSize, max(count, 1)))
        var done = 0
        while true {
            let wanted = min(chunk.count, count + 1 - done)
            let got = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
            if got < 0 {
                if errno == EINTR { continue }
                throw HostedEngineError.io(path: path, operation: "read", errno: errno)
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

/// Streams one after another.
struct ConcatenatedBytes: ByteStream {
    let parts: [any ByteStream]

    var count: Int { parts.reduce(0) { $0 + $1.count } }

    func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        for part in parts { try part.forEachChunk(body) }
    }
}

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
                let whole = pending.count / 4096 * 4096
                try body(Array(pending[0..<whole]))
                pending.removeFirst(whole)
            }
        }
        if !pending.isEmpty { try body(pending) }
    }
}
