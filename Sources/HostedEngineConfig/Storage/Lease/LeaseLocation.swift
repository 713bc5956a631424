/// Where a volume keeps its sanlock resource lease.
public enum LeaseLocation: Sendable, Equatable {
    /// A block device too small for one: the fcntl lock alone.
    case none
    /// In the volume, at `offset`: past the archive, clear of the journal in the last blocks.
    case inVolume(path: String, offset: Int64)
    /// A file beside a small file volume (the 20480-byte files upstream's dd leaves).
    case sidecar(path: String)
}
