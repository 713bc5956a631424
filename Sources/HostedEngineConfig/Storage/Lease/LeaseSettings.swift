/// Where and as whom a writer takes a volume's sanlock lease: in the lockspace the HA broker
/// joins (`hosted-engine`, at offset 0 of the lockspace volume named by hosted-engine.conf's
/// lockspace_image_UUID and lockspace_volume_UUID), as this host's host_id.
public struct LeaseSettings: Sendable, Equatable {
    /// The HA broker's lockspace (ovirt_hosted_engine_ha/broker/constants.py: LOCKSPACE_NAME).
    public static let lockspaceName = "hosted-engine"
    /// This tool's resource in it for the configuration volume.
    public static let resourceName = "hosted-engine-config"

    /// The lockspace volume as the broker names it when it joins: the path vdsm returns,
    /// `/run/vdsm/storage/<sd>/<img>/<vol>`, a link that is never resolved (sanlock tells
    /// lockspaces apart by name, path, offset and host id, so another spelling is another join).
    public let lockspacePath: String
    public let hostId: UInt64
    /// The resource's name: one per volume, since one process may hold several (an OVF_STORE
    /// upload holds every copy's).
    public let resourceName: String

    public init(lockspacePath: String, hostId: UInt64, resourceName: String = LeaseSettings.resourceName) {
        self.lockspacePath = lockspacePath
        self.hostId = hostId
        self.resourceName = resourceName
    }

    /// The resource of an OVF_STORE volume: `he-ovf-<volume UUID>` (sanlock names are 48 bytes).
    public static func ovfStoreResourceName(volume path: String) -> String {
        "he-ovf-" + String((path.split(separator: "/").last ?? "").prefix(40))
    }

    /// Why a write has no lease to take, said under --verbose or in the refusal on block storage.
    public typealias Unavailable = LeaseProblem
}
