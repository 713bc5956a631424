/// Where a volume keeps its write journal.
enum JournalLocation: Equatable {
    /// A block device too small for one.
    case none
    /// The journal's header is the volume's last 4096-byte block; its data comes just before.
    case inVolume(headerOffset: Int64)
    /// A file beside a small file volume; header at its start, data after.
    case sidecar(path: String)
}
