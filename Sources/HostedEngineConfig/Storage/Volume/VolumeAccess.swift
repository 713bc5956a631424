/// Whose identity volume I/O runs under.
///
/// The volumes belong to vdsm:kvm (36:36), NFS exports squash root, and upstream reads them as
/// `sudo -u vdsm dd`. With `.vdsmWhenRoot`, a tool run as root opens every volume, OVF_STORE and
/// sidecar with its effective ids switched to vdsm's, whoever owns the target, then switches back;
/// the open descriptor keeps vdsm's credentials for the reads and writes that follow. So a link
/// vdsm plants can lead the tool only to what vdsm could reach itself.
public enum VolumeAccess: Sendable {
    /// As the calling process, whoever it is.
    case caller
    /// As vdsm (from the user database, else oVirt's fixed 36:36) when the caller is root.
    case vdsmWhenRoot
}
