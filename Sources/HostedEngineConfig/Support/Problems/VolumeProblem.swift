import Glibc

/// Why a volume (or the files beside it, or its sanlock lease) cannot be used: each case says
/// what was found, and `description` words it, with the fix, in one place.
public enum VolumeProblem: Equatable, Sendable, CustomStringConvertible {
    /// What the tool needs to do with the volume.
    public enum Access: String, Sendable {
        case read = "read"
        case readAndWrite = "read and write"
    }

    case doesNotExist
    case folderNotSearchable
    case linkLoop
    /// A link leads out of oVirt's storage folders (`allowed`).
    case outsideStorage(resolved: String, allowed: String)
    case directory
    case notFileOrDevice
    /// The tool does storage I/O as vdsm, and vdsm may not.
    case vdsmCannotAccess(Access, owner: uid_t, group: gid_t, mode: mode_t, resolved: String)
    /// The caller (not root) may not.
    case permissionDenied(Access, errno: Int32)
    case notVdsms(owner: uid_t, vdsm: uid_t, resolved: String)
    /// Writing was refused because the filesystem is mounted read-only.
    case readOnlyFilesystem(resolved: String)
    /// Writing was refused though the mode allows it: an immutable or append-only file.
    case immutable(resolved: String)
    /// Refused though owner and mode allow vdsm: an ACL or a security label.
    case deniedDespiteMode(Access, owner: uid_t, group: gid_t, mode: mode_t, resolved: String)
    case replacedByLink
    case replacedWhileOpening
    case replacedWhileWriting
    case sidecarIsLink(String)
    case sidecarNotCreatable(String, folder: String)
    case sidecarNotOwners(String, owner: uid_t)
    case blockDeviceTooSmallForJournal
    case tooSmallForJournal(archiveBytes: Int)
    case journalRecordDoesNotFit
    case cannotJoinLockspace(String, hostId: UInt64, why: String)
    case lockspaceStillChanging(String, seconds: Int)
    case anotherLease(lockspace: String, name: String, offset: Int64, ours: String, path: String)
    case cannotWriteLease(offset: Int64, why: String)
    case leaseAreaKeptChanging(offset: Int64)
    case cannotAcquireLease(why: String)

    public var description: String {
        switch self {
        case .doesNotExist:
            return "it does not exist; check the path"
        case .folderNotSearchable:
            return "vdsm may not search a folder on the way to it; oVirt's storage folders are vdsm's (36:36)"
        case .linkLoop:
            return "its links lead round in a loop"
        case let .outsideStorage(resolved, allowed):
            return
                "it leads through a link to \(resolved), outside oVirt's storage (\(allowed)); check who changed the link, or name the volume itself"
        case .directory:
            return "it is a directory; give the volume itself (STORAGE_ROOT/<sdUUID>/<conf_image_UUID>/<conf_volume_UUID>)"
        case .notFileOrDevice:
            return "it is neither a regular file nor a block device"
        case let .vdsmCannotAccess(access, owner, group, mode, resolved):
            let facts = "owner \(owner):\(group), mode \(DisplayText.octal(mode & 0o7777))"
            return
                "the HA agents and this tool \(access.rawValue) it as vdsm, which cannot \(access.rawValue) it (\(facts)); give it back: chown vdsm:kvm \(Self.word(resolved)) && chmod 0660 \(Self.word(resolved))"
        case let .permissionDenied(access, code):
            return
                "permission denied (\(String(cString: strerror(code)))); run as root or as the volume's owner (vdsm), who can \(access.rawValue) it"
        case let .notVdsms(owner, vdsm, resolved):
            return
                "it belongs to uid \(owner), not vdsm (\(vdsm)), and oVirt's volumes are vdsm's; if this is one, give it back: chown vdsm:kvm \(Self.word(resolved)) && chmod 0660 \(Self.word(resolved))"
        case let .readOnlyFilesystem(resolved):
            return
                "its filesystem is mounted read-only (findmnt -T \(Self.word(resolved)) shows ro), so nothing can be written to it; remount the storage domain read-write, or check the storage server's export"
        case let .immutable(resolved):
            return
                "it is marked immutable or append-only (lsattr \(Self.word(resolved)) shows i or a), so not even root may write it; if that was not meant, chattr -i -a \(Self.word(resolved))"
        case let .deniedDespiteMode(access, owner, group, mode, resolved):
            let facts = "owner \(owner):\(group), mode \(DisplayText.octal(mode & 0o7777))"
            return
                "vdsm may \(access.rawValue) it by its owner and mode (\(facts)), yet the system refused: an ACL (getfacl \(Self.word(resolved))) or a security label (ls -Z \(Self.word(resolved))) denies it"
        case .replacedByLink:
            return "it was replaced by a link while being opened; try again"
        case .replacedWhileOpening:
            return "it was replaced while being opened; try again"
        case .replacedWhileWriting:
            return "it was replaced while being written; nothing more was written"
        case let .sidecarIsLink(path):
            return "\(path), beside it, is a link; remove it (the tool never makes one)"
        case let .sidecarNotCreatable(path, folder):
            return
                "vdsm may not create \(path) beside it, where a volume this small keeps its write journal and lease; oVirt's image folders are vdsm's (chown vdsm:kvm \(Self.word(folder)))"
        case let .sidecarNotOwners(path, owner):
            return "\(path), beside it, is not a regular file owned by the volume's owner (uid \(owner)); remove it"
        case .blockDeviceTooSmallForJournal:
            return "it is a block device too small to hold a write journal"
        case let .tooSmallForJournal(archiveBytes):
            return "it is too small to keep a write journal beside a \(archiveBytes)-byte archive; nothing was written"
        case .journalRecordDoesNotFit:
            return "its journal record does not fit it"
        case let .cannotJoinLockspace(lockspace, hostId, why):
            return
                "sanlock cannot join the \(lockspace) lockspace there as host \(hostId) (\(why)); check host_id in hosted-engine.conf, or start ovirt-ha-broker, which joins it"
        case let .lockspaceStillChanging(lockspace, seconds):
            return
                "the \(lockspace) lockspace was still being joined or left on this host after \(seconds) s; try again when ovirt-ha-broker has started, or wait longer with --lock-timeout SECONDS"
        case let .anotherLease(lockspace, name, offset, ours, path):
            return
                "it holds another sanlock lease (\(DisplayText.printable(lockspace)):\(DisplayText.printable(name))) at offset \(offset), where this tool keeps its lease \(ours); if nothing uses it, clear it with dd if=/dev/zero of=\(path) bs=1M seek=\(offset >> 20) count=1 oflag=direct conv=notrunc"
        case let .cannotWriteLease(offset, why):
            return "sanlock cannot write the lease's area at offset \(offset) (\(why))"
        case let .leaseAreaKeptChanging(offset):
            return "the lease's area at offset \(offset) kept changing while this tool looked at it; try again"
        case let .cannotAcquireLease(why):
            return "sanlock cannot acquire this tool's lease on it (\(why))"
        }
    }

    /// A path as one word of the command a message suggests (quoted when it needs it).
    private static func word(_ path: String) -> String {
        DisplayText.shellWord(path)
    }
}
