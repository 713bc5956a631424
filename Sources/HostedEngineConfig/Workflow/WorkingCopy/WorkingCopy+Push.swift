import Glibc

extension WorkingCopy {
    public enum PushOutcome: Sendable, Equatable {
        /// The working files equal the base; nothing to write.
        case nothingToPush
        /// What a push would do; nothing was written. `vmChanges` describes the OVF's.
        case dryRun(changes: ConfigChanges, rebased: Bool, vmChanges: [String])
        case pushed(changes: ConfigChanges, rebased: Bool, vmChanges: [String], backups: [String])
    }

    /// Validates, then writes the working files to the volume with a compare-and-swap against
    /// the base, and moves the base forward. When the volume moved on since checkout: exit 3
    /// listing what changed there, or with `rebase`, merge key by key when the changes do not
    /// overlap.
    public func push(schema: Schema, options: SharedConfig.WriteOptions, rebase: Bool, dryRun: Bool, action: String = "push") throws
        -> PushOutcome
    {
        let problems = unreadableAndArchiveProblems(schema: schema) + ovfProblems(force: options.force)
        if !problems.isEmpty {
            throw HostedEngineError.refusing(
                problems, notDone: "nothing was pushed", advice: (one: "fix it and push again", many: "fix them and push again"))
        }
        let local = readWorkingFiles().files
        let localChanges = ConfigChanges(from: base.memberContents, to: local, memberOrder: memberNames, schema: schema)
        let vm = try ovfReconciliation(force: options.force)
        let vmChanges = vm?.changes.map { "vm \($0.key): '\($0.old)' -> '\($0.new)'" } ?? []
        if localChanges.isEmpty, vmChanges.isEmpty { return .nothingToPush }
        // A dry run checks every base a push would check.
        let ovfRebased = dryRun && !vmChanges.isEmpty ? try checkOvfBases(rebase: rebase) : false
        if localChanges.isEmpty {
            if dryRun { return .dryRun(changes: localChanges, rebased: ovfRebased, vmChanges: vmChanges) }
            let written = try pushOvf(vm!, options: options, rebase: rebase)
            try advanced(base: base, ovf: written.ovf).saveMetadata()
            return .pushed(changes: localChanges, rebased: written.rebased, vmChanges: vmChanges, backups: written.backups)
        }

        let volume = try Volume(path: volumePath, forWriting: true, settings: volumeSettings)
        let current = try ConfigArchive.load(from: volume)
        var merged: [String: [UInt8]] = [:]
        let rebased = current.checksum != base.checksum
        if rebased {
            let remote = ConfigChanges(from: base.memberContents, to: current.memberContents, memberOrder: memberNames, schema: schema)
            guard rebase else {
                throw HostedEngineError.pushConflict(
                    changedOnVolume: Self.describe(remote),
                    details: ConflictReport(schema: schema, volume: volume).lines(from: base, to: current))
            }
            // Who changed each key that overlaps, from the shared history.
            let report = ConflictReport(schema: schema, volume: volume)
            let newer = report.versions(since: base.checksum)
            merged = try Self.merge(
                local: localChanges, localFiles: local, remote: remote, base: base, current: current, schema: schema
            ) { report.who($0, in: newer) }
        } else {
            for member in localChanges.changedMembers { merged[member] = local[member] }
        }
        var notes: [String] = []
        for (member, contents) in merged {
            notes += try schema.verify(
                member: member, old: current.contents(of: member), new: contents, intended: local[member] ?? contents,
                changes: localChanges)
        }
        let replacements = memberNames.compactMap { name in merged[name].map { (member: name, contents: $0) } }
        let now = options.modificationTime ?? TimeText.now()
        let newArchive = try current.replacing(replacements, modificationTime: now, allowLargeArchive: options.allowLargeArchive)
        if dryRun { return .dryRun(changes: localChanges, rebased: rebased || ovfRebased, vmChanges: vmChanges) }

        let backup = try CompareAndSwap.configuration(volume: volume, options: options, schema: schema)
            .replace(base: current, with: newArchive, now: now)
        if let audit = options.audit {
            let event = AuditLog.Event(
                action: action, target: volumePath, type: nil, changes: localChanges.summaryLines, before: current.checksum.description,
                after: Checksum(of: newArchive).description)
            if let problem = audit.record(event) { volumeSettings.report("WARNING: the write was made, but \(problem).") }
        }
        var backups = [backup]
        var ovf = self.ovf
        var vmRebased = false
        if let vm, !vm.changes.isEmpty {
            let written = try pushOvf(vm, options: options, rebase: rebase)
            (ovf, vmRebased) = (written.ovf, written.rebased)
            backups += written.backups
        }
        try advance(to: ConfigArchive(bytes: newArchive, origin: volumePath), previousLocal: local, ovf: ovf)
        for note in notes { volumeSettings.report(note) }
        return .pushed(changes: localChanges, rebased: rebased || vmRebased, vmChanges: vmChanges, backups: backups)
    }

    /// After a push: the new archive becomes the base, and every working file shows it (files
    /// that were not edited here pick up what changed on the volume).
    private func advance(to archive: ConfigArchive, previousLocal: [String: [UInt8]], ovf: OvfCheckout?) throws {
        for name in memberNames {
            guard let contents = archive.contents(of: name), previousLocal[name] != contents else { continue }
            do {
                try LocalFile.writeAtomically(directory + "/" + name, contents, mode: 0o600)
            } catch {
                throw HostedEngineError.workingDirectory(directory, .fileNotUpdatedAfterPush(name: name, errno: error.rawValue))
            }
        }
        try advanced(base: archive, ovf: ovf).saveMetadata()
    }

    /// Local key changes applied onto the volume's files, or an error listing every key changed
    /// differently on both sides.
    static func merge(
        local: ConfigChanges, localFiles: [String: [UInt8]], remote: ConfigChanges, base: ConfigArchive,
        current: ConfigArchive, schema: Schema, who: (ConfigChanges.KeyChange) -> String = { _ in "" }
    ) throws -> [String: [UInt8]] {
        var overlaps: [String] = []
        for change in local.memberChanges where remote.changedMembers.contains(change.member) {
            overlaps.append("\(change.member): changed here and on the volume")
        }
        for mine in local.keyChanges {
            guard let theirs = remote.keyChanges.first(where: { $0.isSameKey(as: mine) }), theirs.new != mine.new else { continue }
            overlaps.append(
                "\(mine.member) \(mine.label): base \(mine.shown(mine.old)), local \(mine.shown(mine.new)), volume \(mine.shown(theirs.new))\(who(theirs))"
            )
        }
        for change in remote.memberChanges where local.keyChanges.contains(where: { $0.member == change.member }) {
            overlaps.append("\(change.member): changed here and on the volume")
        }
        if !overlaps.isEmpty { throw HostedEngineError.rebaseConflict(overlaps: overlaps) }

        var merged: [String: [UInt8]] = [:]
        for member in local.changedMembers {
            guard remote.changedMembers.contains(member), let theirs = current.contents(of: member) else {
                merged[member] = localFiles[member]
                continue
            }
            var file = try ConfigFile(name: member, bytes: theirs)
            for change in local.keyChanges where change.member == member {
                guard let value = change.new else { continue }
                try file.setValue(value, forKey: change.key, section: change.section)
            }
            merged[member] = file.bytes
        }
        return merged
    }

    /// `broker.conf email.smtp-server`, one per changed key or member.
    static func describe(_ changes: ConfigChanges) -> [String] {
        changes.keyChanges.map { "\($0.member) \($0.label)" } + changes.memberChanges.map(\.member)
    }

}
