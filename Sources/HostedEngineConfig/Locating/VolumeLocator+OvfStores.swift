extension VolumeLocator {
    /// The OVF_STORE copies that hold the engine VM's OVF (see `OvfStoreLocator`), newest first,
    /// said in one line through the settings' report.
    public func ovfStoreCopies() throws -> OvfStoreLocator.Found {
        let found = try OvfStoreLocator(stores: ovfStores, volumeLocator: self).locate()
        volumeSettings.report(found.summary)
        return found
    }
}
