import Logging

extension VolumeLocator {
    /// The OVF_STORE copies that hold the engine VM's OVF (see `OvfStoreLocator`), newest first,
    /// said in one line under `--verbose`.
    public func ovfStoreCopies() throws -> OvfStoreLocator.Found {
        let found = try OvfStoreLocator(stores: ovfStores, volumeLocator: self).locate()
        volumeSettings.logger.info("\(found.summary)")
        return found
    }
}
