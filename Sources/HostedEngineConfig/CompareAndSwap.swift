/// Writes a new archive only if the volume still holds the one the change was made from.
///
/// The base is the SHA-256 of the archive bytes read at the start. Under an exclusive lock on
/// the volume, the same bytes are read again and hashed; if they differ, somebody else wrote in
/// between and nothing is written. Otherwise the new archive goes to offset 0 and is fsynced
/// before the lock is released.
public struct CompareAndSwap {
    public let volume: Volume
    public let lockTimeout: Double

    public init(volume: Volume, lockTimeout: Double) {
        self.volume = volume
        self.lockTimeout = lockTimeout
    }

    public func replace(base: ConfigArchive, with newArchive: [UInt8]) throws {
        guard Int64(newArchive.count) <= volume.size else {
            // Growing a file-based volume silently would change what other hosts read past it.
            throw HostedEngineError.archiveDoesNotFit(size: newArchive.count, volumeSize: volume.size, path: volume.path)
        }
        try volume.lockExclusively(timeout: lockTimeout)
        defer { volume.unlock() }
        let current = try volume.read(count: base.bytes.count, at: 0)
        guard Checksum(of: current) == base.checksum else {
            throw HostedEngineError.changedBySomebodyElse
        }
        try volume.write(newArchive, at: 0)
        try volume.synchronize()
    }
}
