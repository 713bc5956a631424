import Glibc
import Logging

extension VolumeLocator {
    /// This host's place in the HA agents' lockspace, from its hosted-engine.conf: host_id, and
    /// the lockspace volume (sdUUID/lockspace_image_UUID/lockspace_volume_UUID under the storage
    /// root). Nil, said under --verbose, when the file or a key is missing: the fcntl lock alone
    /// guards writes then.
    public func leaseSettings() -> LeaseSettings? {
        let logger = volumeSettings.logger
        guard let (path, conf) = try? localHostedEngineConf() else {
            logger.info("sanlock: no hosted-engine.conf on this host to name the lockspace; the fcntl lock alone guards writes")
            return nil
        }
        var parts: [String] = []
        for key in ["sdUUID", "lockspace_image_UUID", "lockspace_volume_UUID"] {
            guard let value = conf.value(key), !value.isEmpty, !value.contains("/"), value != "..", value != "." else {
                logger.info("sanlock: \(path) does not set \(key); the fcntl lock alone guards writes")
                return nil
            }
            parts.append(value)
        }
        guard let text = conf.value("host_id"), let hostId = UInt64(text), (1...2000).contains(hostId) else {
            logger.info("sanlock: \(path) has no host_id from 1 to 2000; the fcntl lock alone guards writes")
            return nil
        }
        let lockspace = ([resolvedStorageRoot] + parts).joined(separator: "/")
        guard LocalFile.exists(lockspace) else {
            logger.info("sanlock: no lockspace volume at \(lockspace); the fcntl lock alone guards writes")
            return nil
        }
        return LeaseSettings(lockspacePath: LocalFile.realPath(lockspace) ?? lockspace, hostId: hostId)
    }
}
