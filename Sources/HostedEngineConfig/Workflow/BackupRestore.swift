/// `--restore-backup PATH`: puts a backup back where its kind says it came from: this host's
/// hosted-engine.conf (`he-local`) or ha.conf (`ha-conf`), or the configuration archive
/// (`he-conf`). What it will change is shown key by key (secrets masked) and confirmed on a
/// terminal, or needs `--force`; a dry run shows it and writes nothing. What it replaces is
/// saved as a backup first.
public struct BackupRestore: Sendable {
    public let schema: Schema

    public init(schema: Schema = .standard) {
        self.schema = schema
    }

    public enum Outcome: Sendable, Equatable {
        /// Already what the backup holds.
        case unchanged
        /// A dry run: the changes it would make, one line each.
        case wouldChange([String])
        case written(backups: [String])
    }

    public func restore(_ path: String, dryRun: Bool, locator: VolumeLocator, options: SharedConfig.WriteOptions) throws -> Outcome {
        let name = String(path.split(separator: "/").last ?? "")
        guard let parsed = BackupStore.parse(name) else {
            throw HostedEngineError.localFile(
                path: path, problem: "its name is not one of a backup (KIND-TIME-SHA256.tar or .conf, as --list-backups shows)",
                fix: "give the path of a backup --list-backups lists")
        }
        if let file = HostFile(backupKind: parsed.kind) {
            return try restoreHostFile(path, to: file, dryRun: dryRun, locator: locator, options: options)
        }
        guard parsed.kind == ConfigArchive.backupKind else {
            throw HostedEngineError.localFile(
                path: path, problem: "it is a backup of kind \(parsed.kind), which --restore-backup does not restore",
                fix: "restore a configuration archive (he-conf) or this host's file (he-local, ha-conf)")
        }
        let transfer = ArchiveTransfer(schema: schema)
        let upload = try transfer.readUpload(path)
        var lines: [String]
        do {
            let current = try ConfigArchive.load(from: try locator.openConfigurationVolume(forWriting: false))
            lines = changeLines(
                from: current.memberContents, to: upload.memberContents, memberOrder: ConfigArchive.memberNames, schema: schema)
            if lines.isEmpty, upload.recordAlignedBytes == current.bytes { return .unchanged }
        } catch let HostedEngineError.archiveInvalid(_, reason) {
            lines = ["the volume holds no valid configuration archive (\(reason)): the backup is written over it whole"]
        }
        if dryRun { return .wouldChange(lines) }
        try confirm(lines, what: "the configuration archive on \(try locator.locate())", options: options)
        switch try transfer.upload(path, base: nil, force: true, locator: locator, options: options) {
        case .unchanged: return .unchanged
        case let .written(backup): return .written(backups: [backup])
        }
    }

    private func restoreHostFile(
        _ path: String, to file: HostFile, dryRun: Bool, locator: VolumeLocator, options: SharedConfig.WriteOptions
    )
        throws -> Outcome
    {
        guard let type = schema.types.first(where: { $0.hostFile == file }) else {
            throw HostedEngineError.invalidType(file.backupKind, supported: schema.types.map(\.name))
        }
        let backup = try LocalConfigFile(path: path, backupKind: file.backupKind, option: "--restore-backup").read().bytes
        do throws(PythonConfigParser.Failure) {
            _ = try AgentConfReading(bytes: backup)
        } catch {
            throw HostedEngineError.agentCannotRead(error, file: path, outcome: "nothing was restored")
        }
        let local = locator.localConfigFile(file)
        let current = try local.read()
        let name = type.fileName
        let lines = changeLines(from: [name: current.bytes], to: [name: backup], memberOrder: [name], schema: .hostFile(of: type))
        if current.bytes == backup { return .unchanged }
        if dryRun { return .wouldChange(lines) }
        try confirm(lines, what: "this host's \(local.path)", options: options)
        let written = try local.update(
            backups: options.backups, lockTimeout: options.lockTimeout, now: options.modificationTime ?? TimeText.now(),
            checkpoint: locator.volumeSettings.localWriteCheckpoint
        ) { now in
            guard now.bytes == current.bytes else { throw HostedEngineError.changedBySomebodyElse }
            return backup
        }
        if let note = type.takesEffect { locator.volumeSettings.report(note) }
        return .written(backups: written.map { [$0.backup] } ?? [])
    }

    /// `file: key: 'old' -> 'new'` per key, then a line per file that differs otherwise.
    private func changeLines(from old: [String: [UInt8]], to new: [String: [UInt8]], memberOrder: [String], schema: Schema) -> [String] {
        let changes = ConfigChanges(from: old, to: new, memberOrder: memberOrder, schema: schema)
        var lines = changes.keyChanges.map { "\($0.member): \($0.label): \($0.shown($0.old)) -> \($0.shown($0.new))" }
        for change in changes.memberChanges {
            lines.append("\(change.member): \(change.kind == .missing ? "missing from the backup" : "differs from line \(change.line) on")")
        }
        for member in changes.changedMembers where !lines.contains(where: { $0.hasPrefix(member + ":") }) {
            lines.append("\(member): differs in comments or layout only")
        }
        return lines
    }

    private func confirm(_ lines: [String], what: String, options: SharedConfig.WriteOptions) throws {
        if options.force { return }
        guard let ask = options.confirm else {
            throw HostedEngineError.restoreNeedsConfirmation(what: what)
        }
        guard ask((["Restoring this backup replaces \(what):"] + lines.map { "  " + $0 }).joined(separator: "\n")) else {
            throw HostedEngineError.notConfirmed
        }
    }
}
