import Glibc

/// A volume or file as `stat` sees it: what `--verify-storage` reports, and whether the HA
/// agents can read it. They read the volumes as vdsm (heconflib runs `sudo -u vdsm dd`), so a
/// volume vdsm cannot read is a bad archive to them, whatever root sees.
public struct StoredFileFacts: Sendable, Equatable {
    public let path: String
    public let isBlockDevice: Bool
    public let uid: UInt32
    public let gid: UInt32
    /// Permission bits, `0o660`.
    public let mode: UInt32

    /// The open `volume`'s: fstat needs no search permission on its folder (a root-squashed export).
    public init(volume: Volume) throws {
        var status = stat()
        guard fstat(volume.descriptor, &status) == 0 else {
            throw HostedEngineError.io(path: volume.path, operation: "look at", errno: errno)
        }
        path = volume.path
        isBlockDevice = status.st_mode & S_IFMT == S_IFBLK
        uid = status.st_uid
        gid = status.st_gid
        mode = status.st_mode & 0o7777
    }

    public var kindText: String { isBlockDevice ? "block device" : "regular file" }

    /// `36:36 0660`
    public var ownershipText: String { "\(uid):\(gid) \(Self.octal(mode))" }

    /// True when vdsm, with its groups, may read it.
    public var readableByVdsm: Bool {
        let vdsm = Self.vdsmIdentity
        if uid == vdsm.uid { return mode & 0o400 != 0 }
        if vdsm.groups.contains(gid) { return mode & 0o040 != 0 }
        return mode & 0o004 != 0
    }

    /// vdsm's uid and groups from the user database, else oVirt's fixed ones (vdsm 36; kvm 36,
    /// qemu 107, sanlock 179).
    static var vdsmIdentity: (uid: UInt32, groups: [UInt32]) {
        guard let entry = getpwnam("vdsm") else { return (36, [36, 107, 179]) }
        let uid = entry.pointee.pw_uid
        let primary = entry.pointee.pw_gid
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist("vdsm", primary, &groups, &count) < 0 { return (uid, [primary]) }
        return (uid, Array(groups.prefix(Int(count))))
    }

    public static func octal(_ mode: UInt32) -> String {
        DisplayText.octal(mode)
    }
}
