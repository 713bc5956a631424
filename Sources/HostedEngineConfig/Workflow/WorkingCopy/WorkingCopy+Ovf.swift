extension WorkingCopy {
    /// The edited OVF made whole, or nil when the checkout has no OVF.
    func ovfReconciliation(force: Bool) throws -> OvfReconciliation? {
        guard let ovf else { return nil }
        let path = directory + "/" + ovf.member
        guard let working = try? LocalFile.read(path, limit: 64 << 20) else {
            return OvfReconciliation(bytes: ovf.base.bytes, changes: [], problems: ["the file is missing or cannot be read"])
        }
        return ovf.base.reconciled(with: working, force: force)
    }

    func ovfProblems(force: Bool) -> [Problem] {
        guard let ovf, let reconciliation = try? ovfReconciliation(force: force) else { return [] }
        return reconciliation.problems.map { Problem(file: ovf.member, line: 1, message: $0) }
    }

    /// The vm keys changed here.
    public func ovfChanges() -> [(key: VmKey, old: String, new: String)] {
        (try? ovfReconciliation(force: true))?.changes ?? []
    }

    /// Writes the OVF to every OVF_STORE copy, each with its own compare-and-swap against the
    /// checksum it had at checkout; with `rebase`, onto a copy that moved, key by key.
    func pushOvf(_ reconciliation: OvfReconciliation, options: SharedConfig.WriteOptions, rebase: Bool)
        throws -> (ovf: OvfCheckout, rebased: Bool, backups: [String])
    {
        guard let ovf else { throw HostedEngineError.workingDirectory(directory, .noOvf) }
        if !options.force {
            let summary = reconciliation.changes.map { "\($0.key): \($0.old) -> \($0.new)" }.joined(separator: ", ")
            guard let confirm = options.confirm else {
                throw HostedEngineError.confirmationNeeded(key: summary, what: VmConfig.confirmationReason)
            }
            let change = OvfChange(
                key: reconciliation.changes[0].key, edits: Self.edits(from: ovf.base, to: reconciliation.bytes), bytes: reconciliation.bytes
            )
            let found = OvfStoreLocator.Found(
                stores: ovf.stores.map { .init(path: $0.path, lastUpdated: nil, lastUpdatedText: nil) },
                vmid: String(ovf.member.dropLast(4)))
            guard confirm(VmConfig.Plan(change: change, found: found).description) else { throw HostedEngineError.notConfirmed }
        }
        let now = options.modificationTime ?? TimeText.now()
        var backups: [String] = []
        var stores: [(path: String, checksum: Checksum)] = []
        var written: OvfDocument?
        var rebased = false
        try OvfStoreCopies.writeEach(ovf.stores.map { ($0.path, $0) }) { store in
            let volume = try Volume(path: store.path, forWriting: true, settings: ovfStoreSettings(store.path))
            let current = try OvfStoreImage.reading(volume, member: ovf.member, lockTimeout: options.lockTimeout)
            guard let theirs = current.contents else {
                throw HostedEngineError.archiveInvalid(path: store.path, problem: .storeLacksMember(ovf.member))
            }
            var target = reconciliation.bytes
            if current.image.checksum != store.checksum {
                guard rebase else { throw HostedEngineError.pushConflict(changedOnVolume: ["\(store.path) (an OVF_STORE)"]) }
                target = try Self.merge(
                    reconciliation.changes, onto: try OvfDocument(bytes: theirs, name: ovf.member), force: options.force)
                rebased = true
            }
            let write = try current.image.write(
                member: ovf.member, contents: target, modificationTime: now, lockTimeout: options.lockTimeout, backups: options.backups)
            backups.append(write.backup)
            let after = try current.image.checksumAfterWriting(write.record)
            stores.append((store.path, after))
            if let audit = options.audit {
                let event = AuditLog.Event(
                    action: "push", target: store.path, type: "vm",
                    changes: reconciliation.changes.map { "vm \($0.key): '\($0.old)' -> '\($0.new)'" },
                    before: current.image.checksum.description, after: after.description)
                if let problem = audit.record(event) { volumeSettings.report("WARNING: the write was made, but \(problem).") }
            }
            if written == nil { written = try OvfDocument(bytes: target, name: ovf.member) }
            return true
        }
        let result = OvfCheckout(member: ovf.member, base: written ?? ovf.base, stores: stores)
        try writeFile(ovf.member, result.base.bytes)
        return (result, rebased, backups)
    }

    /// The OVF_STORE copies that moved on since checkout (what a push would find), for a dry
    /// run: without `rebase` one is the push's conflict; with it, whether the push would merge.
    func checkOvfBases(rebase: Bool) throws -> Bool {
        guard let ovf else { return false }
        var moved = false
        for store in ovf.stores {
            let volume = try Volume(path: store.path, forWriting: false, settings: ovfStoreSettings(store.path))
            let current = try OvfStoreImage.reading(volume, member: ovf.member, lockTimeout: 30)
            guard current.image.checksum != store.checksum else { continue }
            guard rebase else { throw HostedEngineError.pushConflict(changedOnVolume: ["\(store.path) (an OVF_STORE)"]) }
            moved = true
        }
        return moved
    }

    /// `changes` applied onto another version of the OVF; an error listing every key that
    /// version changed differently.
    static func merge(_ changes: [(key: VmKey, old: String, new: String)], onto document: OvfDocument, force: Bool) throws -> [UInt8] {
        var current = document
        var overlaps: [String] = []
        for change in changes {
            let theirs = try current.value(of: change.key)
            if theirs == change.new { continue }
            guard theirs == change.old else {
                overlaps.append("\(document.name) \(change.key): base '\(change.old)', local '\(change.new)', volume '\(theirs)'")
                continue
            }
            if let edited = try current.setting(change.key, to: change.new, force: force) {
                current = try OvfDocument(bytes: edited.bytes, name: document.name)
            }
        }
        if !overlaps.isEmpty { throw HostedEngineError.rebaseConflict(overlaps: overlaps) }
        return current.bytes
    }

    /// The places that differ between two versions of one OVF, for showing a change.
    static func edits(from old: OvfDocument, to bytes: [UInt8]) -> [OvfEdit] {
        guard let new = try? OvfDocument(bytes: bytes, name: old.name) else { return [] }
        let before = old.editablePlaces
        let after = new.editablePlaces
        guard before.count == after.count else { return [] }
        return zip(before, after).compactMap { pair in
            pair.0.field.value == pair.1.field.value
                ? nil
                : OvfEdit(place: pair.0.label, old: pair.0.field.value, new: pair.1.field.value, range: pair.0.field.range)
        }
    }

    /// An OVF_STORE copy's writer takes the copy's own lease, in the lockspace the checkout's
    /// volume settings name.
    func ovfStoreSettings(_ path: String) -> Volume.Settings {
        var settings = volumeSettings
        settings.leaseResource = LeaseSettings.ovfStoreResourceName(volume: path)
        return settings
    }
}
