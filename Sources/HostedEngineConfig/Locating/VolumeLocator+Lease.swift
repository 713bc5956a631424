import Glibc
import Logging

extension VolumeLocator {
    /// This host's host_id in its hosted-engine.conf, when it has a valid one.
    public var hostId: UInt64? {
        guard let (_, conf) = try? localHostedEngineConf(), let text = conf.value("host_id"), let id = UInt64(text),
            (1...2000).contains(id)
        else { return nil }
        return id
    }

    /// This host's place in the HA broker's lockspace, from its hosted-engine.conf: host_id,
    /// and the lockspace volume as the broker names it when it joins (broker/status_broker.py
    /// `_acquire_whiteboard_lock`: the path vdsm returned, `STORAGE_ROOT/<sd>/<img>/<vol>`, not
    /// resolved), prepared through vdsm when it is not linked. Or why there is none.
    public func leaseSettings(resourceName: String) -> Result<LeaseSettings, LeaseSettings.Unavailable> {
        guard let (path, conf) = try? localHostedEngineConf() else {
            return .failure(.noHostedEngineConf(lockspace: LeaseSettings.lockspaceName))
        }
        guard let text = conf.value("host_id"), let hostId = UInt64(text), (1...2000).contains(hostId) else {
            return .failure(.noHostId(path: path))
        }
        switch storedVolume(imageKey: "lockspace_image_UUID", volumeKey: "lockspace_volume_UUID", confPath: path, conf: conf) {
        case let .failure(error): return .failure(.lockspaceVolumeNotFound(error))
        case let .success(found): return .success(LeaseSettings(lockspacePath: found.path, hostId: hostId, resourceName: resourceName))
        }
    }
}
