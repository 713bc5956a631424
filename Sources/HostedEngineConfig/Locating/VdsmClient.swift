import Glibc

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// vdsm's API, asked what upstream's HA services ask it over JSON-RPC (lib/heconflib.py
/// `get_volume_path`, lib/storage_backends.py `_get_volume_path`, lib/ovf/ovf_store.py
/// `OVFStore.scan`), through `vdsm-client`, the command line every host has: `vdsm-client
/// NAMESPACE METHOD name=value ...` prints the result as JSON (lib/vdsmclient/client.py), shaped
/// as vdsm's schema says (lib/vdsm/api/vdsm-api.yml). What it prints is not trusted: bounded,
/// decoded into the few fields used, and a path is taken only where vdsm keeps volumes.
public struct VdsmClient: Sendable {
    /// The pool a host not connected to one passes (upstream's BLANK_UUID).
    public static let blankUUID = "00000000-0000-0000-0000-000000000000"

    /// `vdsm-client`, found on PATH; nil when it is not there.
    public let executable: String?
    /// Where a prepared volume's path may lead: vdsm's run folder and /rhev/data-center.
    let trustedRoots: [String]

    public init(environment: [String: String], storageRoot: String, mountRoot: String) {
        executable = ChildProcess.find("vdsm-client", searchPath: environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin")
        // As given and as resolved, each spelled with single slashes and no trailing one.
        let given = [storageRoot, LocalFile.parent(of: mountRoot), "/rhev/data-center"]
        trustedRoots = (given + given.compactMap(LocalFile.realPath)).map(Self.normalized)
    }

    /// Why vdsm could not be asked, or what it answered instead.
    public typealias Failure = VdsmProblem

    /// `Image.prepare`: makes the volume available on this host (activates a block volume,
    /// links it under /run/vdsm/storage) and returns its path (PreparedImageInfo.path).
    public func prepareImage(pool: String, domain: String, image: String, volume: String) throws(Failure) -> String {
        struct Prepared: Decodable { let path: String }
        let prepared: Prepared = try call(
            "Image", "prepare", ["storagepoolID": pool, "storagedomainID": domain, "imageID": image, "volumeID": volume])
        let path = prepared.path
        guard path.hasPrefix("/"), !path.split(separator: "/").contains(".."), path.split(separator: "/").last.map(String.init) == volume,
            trustedRoots.contains(where: { Self.normalized(path).hasPrefix($0 + "/") })
        else {
            throw .pathOutsideStorage(path)
        }
        return path
    }

    /// `StorageDomain.getImages`: the domain's image UUIDs.
    public func images(domain: String) throws(Failure) -> [String] {
        try call("StorageDomain", "getImages", ["storagedomainID": domain])
    }

    /// `StorageDomain.getVolumes`: the image's volume UUIDs.
    public func volumes(domain: String, pool: String, image: String) throws(Failure) -> [String] {
        try call("StorageDomain", "getVolumes", ["storagedomainID": domain, "storagepoolID": pool, "imageID": image])
    }

    /// `Volume.getInfo`'s `description` (VolumeInfoResponse), where the engine says
    /// `"Disk Description":"OVF_STORE"`.
    public func volumeDescription(domain: String, pool: String, image: String, volume: String) throws(Failure) -> String {
        struct Info: Decodable { let description: String }
        let info: Info = try call(
            "Volume", "getInfo", ["volumeID": volume, "imageID": image, "storagepoolID": pool, "storagedomainID": domain])
        return info.description
    }

    /// `path` with runs of slashes made one and no trailing slash, to compare prefixes.
    static func normalized(_ path: String) -> String {
        "/" + path.split(separator: "/").joined(separator: "/")
    }

    /// The command an administrator runs to prepare a volume by hand.
    public static func prepareCommand(pool: String, domain: String, image: String, volume: String) -> String {
        "vdsm-client Image prepare storagepoolID=\(pool) storagedomainID=\(domain) imageID=\(image) volumeID=\(volume)"
    }

    private func call<Result: Decodable>(_ namespace: String, _ method: String, _ parameters: [String: String]) throws(Failure) -> Result {
        guard let executable else { throw .clientNotOnPath }
        let arguments = [namespace, method] + parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ChildProcess.run(executable, arguments, timeout: 120)
        } catch {
            throw .clientCannotRun(why: "\(error)")
        }
        guard outcome.status == 0 else {
            // vdsm-client says `vdsm-client: Command ... failed:\n(code=N, message=...)`: keep the last line.
            let said = String(decoding: outcome.errors, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw .callFailed(call: "\(namespace) \(method)", status: outcome.status, said: said)
        }
        do {
            return try JSONDecoder().decode(Result.self, from: Data(outcome.output))
        } catch {
            throw .unreadableResult(call: "\(namespace) \(method)")
        }
    }
}
