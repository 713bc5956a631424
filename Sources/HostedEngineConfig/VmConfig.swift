/// Get, set and get-all of the `vm` keys: the engine VM's OVF on its OVF_STORE volumes.
///
/// The newest copy is read. A change is shown to the administrator (every place in the OVF and
/// in the embedded libvirt XML, old and new) and confirmed, then written to every copy, each
/// with its own compare-and-swap, journal and backup.
public struct VmConfig: Sendable {
    /// What a set would write, for the administrator to confirm.
    public struct Plan: Sendable, CustomStringConvertible {
        public let change: OvfChange
        public let found: OvfStoreLocator.Found

        public var description: String {
            var lines = ["Setting \(change.key) in the engine VM's OVF (\(found.member)) changes:"]
            lines += change.edits.map { "  \($0.place): \($0.old) -> \($0.new)" }
            lines.append("on \(found.stores.count) OVF_STORE cop\(found.stores.count == 1 ? "y" : "ies"): \(found.stores.map(\.path).joined(separator: ", ")).")
            lines.append("The HA agents start the engine VM from this OVF; a wrong value can keep it from starting.")
            return lines.joined(separator: "\n")
        }
    }

    public init() {}

    /// The newest copy's OVF.
    public func read(locator: VolumeLocator) throws -> (found: OvfStoreLocator.Found, document: OvfDocument) {
        let found = try OvfStoreLocator(stores: locator.ovfStores, volumeLocator: locator).locate()
        Volume.processSettings.report(found.summary)
        let archive = try OvfStoreArchive.loadStored(from: try Volume(path: found.stores[0].path, forWriting: false))
        return (found, try document(in: archive, found: found))
    }

    private func document(in archive: OvfStoreArchive, found: OvfStoreLocator.Found) throws -> OvfDocument {
        guard let bytes = archive.contents(of: found.member) else {
            throw HostedEngineError.archiveInvalid(
                path: archive.origin, reason: "the OVF_STORE holds no \(found.member) (vmid from hosted-engine.conf)")
        }
        return try OvfDocument(bytes: bytes, name: found.member)
    }

    public func get(key: VmKey, locator: VolumeLocator) throws -> String {
        try read(locator: locator).document.value(of: key)
    }

    public func getAll(locator: VolumeLocator) throws -> [(key: VmKey, value: String)] {
        try read(locator: locator).document.allValues()
    }

    /// Sets `key` on every copy. Without `options.force`, `options.confirm` must say yes; with no
    /// way to ask (no terminal), the change is refused.
    public func set(key: VmKey, value: String, locator: VolumeLocator, options: SharedConfig.WriteOptions) throws -> SharedConfig.SetOutcome {
        let found = try OvfStoreLocator(stores: locator.ovfStores, volumeLocator: locator).locate()
        Volume.processSettings.report(found.summary)
        let copies = try found.stores.map { store -> (volume: Volume, archive: OvfStoreArchive) in
            let volume = try Volume(path: store.path, forWriting: true)
            return (volume, try OvfStoreArchive.loadStored(from: volume, lockTimeout: options.lockTimeout))
        }
        let document = try document(in: copies[0].archive, found: found)
        guard let change = try document.setting(key, to: value, force: options.force) else { return .unchanged }
        let plan = Plan(change: change, found: found)
        if !options.force {
            guard let confirm = options.confirm else { throw HostedEngineError.confirmationNeeded(key: key.description) }
            guard confirm(plan) else { throw HostedEngineError.notConfirmed }
        }
        let now = options.modificationTime ?? TimeText.now()
        var backups: [String] = []
        for (index, copy) in copies.enumerated() {
            guard copy.archive.contents(of: found.member) != nil else {
                Volume.processSettings.report("\(copy.volume.path) holds no \(found.member); it was left as it is.")
                continue
            }
            let newArchive = try copy.archive.replacing(member: found.member, with: change.bytes, modificationTime: now)
            do {
                backups.append(try CompareAndSwap(volume: copy.volume, lockTimeout: options.lockTimeout, backups: options.backups)
                    .replace(base: copy.archive, with: newArchive, now: now))
            } catch let error as HostedEngineError where index > 0 {
                throw HostedEngineError.partlyWritten(written: copies[0..<index].map(\.volume.path), failed: copy.volume.path, error)
            }
        }
        return .written(backups: backups)
    }
}
