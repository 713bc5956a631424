import Crypto
import Dispatch

/// Hashes the pieces a walk reads, holding the last one back, so that once the archive's stored
/// size is known the checksum of exactly that many bytes can be had without reading them again.
/// The hashing runs on a thread of its own, beside the walk (which writes files on a download):
/// the machine's second core does it instead of the walk waiting for it.
final class ReadHasher: @unchecked Sendable {
    private let queue = DispatchQueue(label: "hosted-engine.read-hasher")
    /// At most this many pieces wait for the hashing thread: memory stays bounded.
    private let waiting = DispatchSemaphore(value: 4)
    // Touched only on `queue`, or after `queue.sync`.
    private var hasher = SHA256()
    private var held: [UInt8] = []
    private var hashedCount = 0

    func add(_ piece: UnsafeRawBufferPointer) {
        let bytes = Array(piece)
        waiting.wait()
        queue.async {
            self.hasher.update(data: self.held)
            self.hashedCount += self.held.count
            self.held = bytes
            self.waiting.signal()
        }
    }

    /// The checksum of the first `count` bytes, taking from `volume` what the walk did not read;
    /// nil when the walk read whole pieces past `count` (then they are hashed apart).
    func checksum(ofFirst count: Int, volume: Volume) throws -> Checksum? {
        let (hasher, held, hashedCount) = queue.sync { (self.hasher, self.held, self.hashedCount) }
        guard count >= hashedCount else { return nil }
        var copy = hasher
        copy.update(data: Array(held.prefix(count - hashedCount)))
        if count > hashedCount + held.count {
            try VolumeBytes(volume: volume, range: Int64(hashedCount + held.count)..<Int64(count)).forEachChunk { copy.update(data: $0) }
        }
        return Checksum(digest: copy.finalize())
    }
}
