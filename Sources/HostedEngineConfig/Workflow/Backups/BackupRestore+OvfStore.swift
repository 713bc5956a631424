/// An OVF_STORE backup put back on the copy it came from (`--ovf-store PATH` for another).
extension BackupRestore {
    func restoreOvfStore(_ path: String, dryRun: Bool, locator: VolumeLocator, options: SharedConfig.WriteOptions) throws -> Outcome {
        guard locator.ovfStores.count <= 1 else {
            throw HostedEngineError.backupUnusable(path: path, problem: .severalOvfStores(locator.ovfStores.count))
        }
        let targetPath: String
        if let named = locator.ovfStores.first {
            targetPath = named
        } else if let origin = BackupStore.origin(ofBackup: path) {
            targetPath = try Self.checkedOrigin(
                origin, of: path, expected: (try? locator.ovfStoreCopies().stores.map(\.path)) ?? [],
                what: "one of this host's OVF_STORE copies", option: "--ovf-store PATH")
        } else {
            throw HostedEngineError.backupUnusable(path: path, problem: .ovfStoreOriginUnknown)
        }
        // The backup is root's own file in root's folder, read as the caller; only the copy is vdsm's.
        var asCaller = locator.volumeSettings
        asCaller.access = .caller
        let source = try Volume(path: path, forWriting: false, settings: asCaller)
        let backup = try OvfStoreImage(volume: source)
        let bytes = try source.read(count: backup.count, at: 0)
        let target = try locator.open(targetPath, forWriting: true)
        let wanted = try Self.memberContents(source)
        var current: OvfStoreImage?
        var lines: [String]
        do {
            let image = try OvfStoreImage(volume: target)
            if image.checksum == backup.checksum { return .unchanged }
            let held = try Self.memberContents(target)
            lines = Set(held.keys).union(wanted.keys).sorted().flatMap { name -> [String] in
                switch (held[name], wanted[name]) {
                case (nil, _): return ["\(name): added"]
                case (_, nil): return ["\(name): removed"]
                case let (old?, new?): return old == new ? [] : Self.changes(name, old, new)
                }
            }
            if lines.isEmpty { lines = ["the same files, stored differently"] }
            current = image
        } catch let HostedEngineError.archiveInvalid(_, problem: reason, _) {
            lines = ["the OVF_STORE holds no valid archive (\(reason)): the backup is written over it whole"]
        }
        if dryRun { return .wouldChange(lines) }
        try confirm(lines, what: "the OVF_STORE copy \(targetPath)", options: options)
        let swap = CompareAndSwap(volume: target, lockTimeout: options.lockTimeout, backups: options.backups)
        let now = options.modificationTime ?? TimeText.now()
        let saved: String
        if let current {
            saved = try swap.replace(
                baseChecksum: current.checksum, baseCount: current.count, kind: OvfStoreArchive.backupKind, with: bytes, now: now
            ).backup
        } else {
            saved = try swap.overwrite(with: bytes, kind: OvfStoreArchive.backupKind, covering: OvfStoreArchive.engineRecordSize, now: now)
        }
        options.audit(
            "restore", target: targetPath, type: "vm", changes: lines, before: current?.checksum, after: backup.checksum, locator: locator)
        locator.volumeSettings.report("The HA agents start the engine VM from the restored OVF when they next start it.")
        return .written(backups: [saved])
    }

    /// Each member's contents, by name.
    static func memberContents(_ volume: Volume) throws -> [String: [UInt8]] {
        var members: [String: [UInt8]] = [:]
        _ = try OvfStoreImage(volume: volume, hashing: false) { entry, reader in
            var contents: [UInt8] = []
            try reader.readData { contents += $0 }
            members[entry.path] = contents
        }
        return members
    }

    /// A changed VM's OVF key by key (`vm mem_size: '20480' -> '16384'`), else one line.
    static func changes(_ name: String, _ old: [UInt8], _ new: [UInt8]) -> [String] {
        guard name.hasSuffix(".ovf"), let before = try? OvfDocument(bytes: old, name: name),
            let after = try? OvfDocument(bytes: new, name: name)
        else { return ["\(name): changed"] }
        let oldValues = Dictionary(before.allValues().map { ($0.key.description, $0.value) }, uniquingKeysWith: { first, _ in first })
        let lines = after.allValues().compactMap { item -> String? in
            let old = oldValues[item.key.description]
            return old == item.value
                ? nil : "\(name): vm \(item.key): \(DisplayText.quoted(old, secret: false)) -> '\(DisplayText.printable(item.value))'"
        }
        return lines.isEmpty ? ["\(name): changed (not in the vm keys)"] : lines
    }
}
