/// Whose identity volume I/O runs under.
///
/// The volume belongs to vdsm:kvm (36:36) and NFS exports squash root, so upstream runs its dd
/// and tar as `sudo -u vdsm`. With `.ownerWhenRoot`, a tool run as root opens the volume (and
/// its journal) with its effective ids switched to the volume's owner, then switches back. The
/// open descriptor keeps the owner's credentials for the reads and writes that follow.
public enum VolumeAccess: Sendable {
    /// As the calling process, whoever it is.
    case caller
    /// As the volume's owner when the caller is root and the volume is not root's; as vdsm
    /// (36:36 when there is no such user) when root cannot even look at it.
    case ownerWhenRoot
}
