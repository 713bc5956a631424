/// An archive held in memory, kept at offset 0 of a volume and written there with a
/// compare-and-swap: the configuration archive. (An OVF_STORE's, too large to hold, is streamed:
/// `OvfStoreImage`.)
public protocol StoredArchive: Sendable {
    /// The archive as stored, through its last record.
    var bytes: [UInt8] { get }
    /// SHA-256 of `bytes`: the base of a compare-and-swap.
    var checksum: Checksum { get }
    /// Reads the archive at the start of `volume` and nothing past it.
    init(reading volume: Volume) throws
    init(bytes: [UInt8], origin: String) throws
    /// What names its backups: `he-conf`, `ovf-store`.
    static var backupKind: String { get }
}

extension ConfigArchive: StoredArchive {
    public static let backupKind = "he-conf"
}
