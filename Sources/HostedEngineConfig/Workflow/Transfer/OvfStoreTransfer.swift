import ArchiveKit
import Glibc

/// Download of a whole OVF_STORE (every VM's OVF, `info.json`, `metadata.json`) into a directory,
/// and upload of the directory back to every OVF_STORE copy. Both stream: an OVF_STORE of
/// thousands of VMs is never held in memory.
///
/// The upload rebuilds the archive from the copy the directory came from: a member whose file
/// is unchanged keeps its bytes (headers included), a changed one keeps its headers with a new
/// size, mtime and checksum, a new file gets a header in its neighbours' style, and a member
/// whose file was removed is left out. The newest copy must still hold the downloaded archive
/// (the base); every copy is written with its own compare-and-swap, journal and backup.
public struct OvfStoreTransfer: Sendable {
    public struct Downloaded: Sendable {
        public let directory: OvfStoreDirectory
        public let members: Int
        /// The archive's size on the volume.
        public let bytes: Int
    }

    public struct Uploaded: Sendable {
        public let changed: [String]
        public let added: [String]
        public let removed: [String]
        /// Where the archives replaced on each copy were saved.
        public let backups: [String]

        /// Nothing was written: every copy held the directory already.
        public var isUnchanged: Bool { backups.isEmpty }
    }

    public init() {}
}
