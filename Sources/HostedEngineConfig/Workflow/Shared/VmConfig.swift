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
            lines.append(
                "on \(found.stores.count) OVF_STORE cop\(found.stores.count == 1 ? "y" : "ies"): \(found.stores.map(\.path).joined(separator: ", "))."
            )
            lines.append("The HA agents start the engine VM from this OVF; a wrong value can keep it from starting.")
            return lines.joined(separator: "\n")
        }
    }

    public init() {}

    /// `vm mem_size: '16384' -> '20480'`, for the audit trail.
    static func changeLine(_ change: OvfChange, _ document: OvfDocument) -> String {
        let old = (try? document.value(of: change.key)) ?? ""
        let new = (try? OvfDocument(bytes: change.bytes, name: document.name).value(of: change.key)) ?? ""
        return "vm \(change.key): '\(DisplayText.printable(old))' -> '\(DisplayText.printable(new))'"
    }

    /// Why a vm change is confirmed, for the message when it cannot be.
    static let confirmationReason = "rewrites what the HA agents start the engine VM from"

    /// The newest copy's OVF, read as the walk over its OVF_STORE passes it.
    public func read(locator: VolumeLocator) throws -> (found: OvfStoreLocator.Found, document: OvfDocument) {
        let found = try locator.ovfStoreCopies()
        let volume = try locator.open(found.stores[0].path, forWriting: false)
        let read = try OvfStoreImage.reading(volume, member: found.member, hashing: false, lockTimeout: 30)
        return (found, try document(read.contents, found: found, origin: volume.path))
    }

    private func document(_ contents: [UInt8]?, found: OvfStoreLocator.Found, origin: String) throws -> OvfDocument {
        guard let contents else {
            throw HostedEngineError.archiveInvalid(
                path: origin, problem: .storeLacksEngineOvf(found.member))
        }
        return try OvfDocument(bytes: contents, name: found.member)
    }

    public func get(key: VmKey, locator: VolumeLocator) throws -> String {
        try read(locator: locator).document.value(of: key)
    }

    public func getAll(locator: VolumeLocator) throws -> [(key: VmKey, value: String)] {
        try read(locator: locator).document.allValues()
    }

    /// Sets `key` on every copy. Without `options.force`, `options.confirm` must say yes; with no
    /// way to ask (no terminal), the change is refused.
    public func set(key: VmKey, value: String, locator: VolumeLocator, options: SharedConfig.WriteOptions) throws -> SharedConfig.SetOutcome
    {
        let found = try locator.ovfStoreCopies()
        let copies = try found.stores.map { store -> (volume: Volume, image: OvfStoreImage, contents: [UInt8]?) in
            let volume = try locator.open(store.path, forWriting: true)
            let read = try OvfStoreImage.reading(volume, member: found.member, lockTimeout: options.lockTimeout)
            return (volume, read.image, read.contents)
        }
        let document = try document(copies[0].contents, found: found, origin: copies[0].volume.path)
        if let expected = options.expectedValue, let now = try? document.value(of: key), now != expected {
            throw HostedEngineError.changedMeanwhile(
                ["the engine VM's OVF \(key) is now '\(DisplayText.printable(now))', not '\(DisplayText.printable(expected))' as read"])
        }
        guard let change = try document.setting(key, to: value, force: options.force) else { return .unchanged }
        let plan = Plan(change: change, found: found)
        // A dry run lists every field the change would rewrite, as the confirmation does.
        if options.dryRun {
            return .wouldWrite(old: try? document.value(of: key), details: plan.description.split(separator: "\n").map(String.init))
        }
        if options.force {
            // Forced: what the prompt would have shown, said on stderr.
            locator.volumeSettings.report(plan.description)
            if case let .nic(name, .network) = key, !document.networks.contains(value) {
                let known = document.networks.isEmpty ? "it lists none" : "it lists \(document.networks.joined(separator: ", "))"
                locator.volumeSettings.report(
                    "WARNING: --force accepted network \(value) for nic.\(name), which the OVF's NetworkSection does not list (\(known)); the engine VM will not start if the host has no such network."
                )
            }
        } else {
            guard let confirm = options.confirm else {
                throw HostedEngineError.confirmationNeeded(key: key.description, what: Self.confirmationReason)
            }
            guard confirm(plan.description) else { throw HostedEngineError.notConfirmed }
        }
        let now = options.modificationTime ?? TimeText.now()
        var backups: [String] = []
        try OvfStoreCopies.writeEach(copies.map { ($0.volume.path, $0) }) { copy in
            guard copy.contents != nil else {
                locator.volumeSettings.report("\(copy.volume.path) holds no \(found.member); it was left as it is.")
                return false
            }
            let written = try copy.image.write(
                member: found.member, contents: change.bytes, modificationTime: now, lockTimeout: options.lockTimeout,
                backups: options.backups)
            backups.append(written.backup)
            options.audit(
                "set", target: copy.volume.path, type: "vm", changes: change.edits.isEmpty ? [] : [Self.changeLine(change, document)],
                before: copy.image.checksum, after: try? copy.image.checksumAfterWriting(written.record), locator: locator)
            return true
        }
        return .written(backups: backups, notes: [ConfigType.vm.takesEffect].compactMap { $0 })
    }
}
