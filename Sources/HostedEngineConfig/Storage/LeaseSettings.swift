/// Where and as whom a writer takes the configuration volume's sanlock lease: in the lockspace
/// the HA agents join (`hosted-engine`, at offset 0 of the lockspace volume named by
/// hosted-engine.conf's lockspace_image_UUID and lockspace_volume_UUID), as this host's host_id.
public struct LeaseSettings: Sendable, Equatable {
    /// The HA broker's lockspace (ovirt_hosted_engine_ha/broker/constants.py: LOCKSPACE_NAME).
    public static let lockspaceName = "hosted-engine"
    /// This tool's resource in it.
    public static let resourceName = "hosted-engine-config"

    public let lockspacePath: String
    public let hostId: UInt64

    public init(lockspacePath: String, hostId: UInt64) {
        self.lockspacePath = lockspacePath
        self.hostId = hostId
    }
}
