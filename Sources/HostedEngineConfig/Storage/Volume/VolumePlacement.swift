import Glibc

/// Where a volume's path leads, and whether the tool may use what is there.
///
/// vdsm owns the links under /run/vdsm/storage and could point one anywhere. A path with no link
/// on it names its file as the administrator (or hosted-engine.conf's UUIDs under the storage
/// root) spelled it; a path through a link must end where oVirt puts storage: a file under a
/// storage folder (the mount root, the storage root, /rhev/data-center), or a block device under
/// /dev (an LV is /dev/<vg>/<lv> -> /dev/dm-N; /dev/mapper for multipath).
struct VolumePlacement: Equatable {
    /// The path as given, for messages.
    let given: String
    /// The same without links, `.` or `..`: what is opened, and what the sidecars sit beside.
    let resolved: String

    /// Resolves `path` (as the caller's identity, who must be able to search its folders).
    static func resolve(_ path: String) throws -> VolumePlacement {
        guard let resolved = LocalFile.realPath(path) else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR:
                throw HostedEngineError.volumeUnusable(path: path, problem: .doesNotExist)
            case EACCES, EPERM:
                throw HostedEngineError.volumeUnusable(path: path, problem: .folderNotSearchable)
            case ELOOP:
                throw HostedEngineError.volumeUnusable(path: path, problem: .linkLoop)
            default:
                throw HostedEngineError.io(path: path, operation: "look at the configuration volume", errno: code)
            }
        }
        return VolumePlacement(given: path, resolved: resolved)
    }

    /// Whether a link (or `.`, `..`) was followed on the way.
    var followedALink: Bool {
        Self.normalized(LocalFile.absolute(given)) != resolved
    }

    /// Refuses a volume reached through a link that ends outside oVirt's storage.
    func requireInside(_ places: [String], isBlockDevice: Bool) throws {
        guard followedALink else { return }
        if isBlockDevice, resolved.hasPrefix("/dev/") { return }
        let roots = places.flatMap { [Self.normalized($0), LocalFile.realPath($0).map(Self.normalized)].compactMap { $0 } }
        if !isBlockDevice, roots.contains(where: { resolved.hasPrefix($0 == "/" ? "/" : $0 + "/") }) { return }
        let allowed = isBlockDevice ? "/dev" : roots.uniqued().joined(separator: ", ")
        throw HostedEngineError.volumeUnusable(path: given, problem: .outsideStorage(resolved: resolved, allowed: allowed))
    }

    /// A sidecar file's place: beside the resolved volume, never beside the link.
    func sidecar(_ suffix: String) -> String {
        resolved + suffix
    }

    /// `path` with runs of slashes made one and no trailing slash.
    static func normalized(_ path: String) -> String {
        "/" + path.split(separator: "/").joined(separator: "/")
    }
}

extension Array where Element: Hashable {
    fileprivate func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
