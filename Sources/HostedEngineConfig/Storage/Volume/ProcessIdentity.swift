import Glibc

/// Effective user and group ids, switched and restored around a piece of I/O.
struct ProcessIdentity: Equatable {
    let uid: uid_t
    let gid: gid_t

    /// vdsm:kvm, from the user database, else oVirt's fixed 36:36.
    static var vdsm: ProcessIdentity {
        if let entry = getpwnam("vdsm") {
            return ProcessIdentity(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
        }
        return ProcessIdentity(uid: 36, gid: 36)
    }

    /// The identity to do volume I/O as, or nil to stay as we are.
    static func forVolumes(access: VolumeAccess) -> ProcessIdentity? {
        access == .vdsmWhenRoot && geteuid() == 0 ? vdsm : nil
    }

    /// Runs `body` with effective ids (and the only supplementary group) set to this identity.
    func perform<Result>(_ body: () throws -> Result) throws -> Result {
        let savedGid = getegid()
        let groupCount = getgroups(0, nil)
        var savedGroups = [gid_t](repeating: 0, count: Int(max(groupCount, 0)))
        if groupCount > 0 { _ = getgroups(groupCount, &savedGroups) }
        var only = [gid]
        guard setgroups(1, &only) == 0, setegid(gid) == 0, seteuid(uid) == 0 else {
            let code = errno
            restore(gid: savedGid, groups: savedGroups)
            throw HostedEngineError.io(path: "uid \(uid) gid \(gid)", operation: "switch to the volume owner's identity", errno: code)
        }
        defer { restore(gid: savedGid, groups: savedGroups) }
        return try body()
    }

    private func restore(gid savedGid: gid_t, groups: [gid_t]) {
        // Back to root first: only root may set the groups and the gid.
        _ = seteuid(0)
        _ = setegid(savedGid)
        var groups = groups
        _ = setgroups(groups.count, &groups)
    }
}
