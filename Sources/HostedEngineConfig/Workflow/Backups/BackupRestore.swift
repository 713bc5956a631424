import Glibc

/// `--restore-backup PATH`: puts a backup back where it came from (its kind, and the path saved
/// beside it): this host's hosted-engine.conf (`he-local`) or ha.conf (`ha-conf`), the
/// configuration archive (`he-conf`, `--volume` for another), or an OVF_STORE copy
/// (`ovf-store`, `--ovf-store` for another). What it will change is shown key by key (secrets
/// masked) and confirmed on a terminal, or needs `--force`; a dry run shows it and writes
/// nothing. What it replaces is saved as a backup first.
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

    public func restore(_ given: String, dryRun: Bool, locator: VolumeLocator, options: SharedConfig.WriteOptions) throws -> Outcome {
        if HistoryBrowser.sequence(of: given) != nil, !LocalFile.exists(given) {
            let (entry, archive) = try HistoryBrowser(schema: schema).version(given, locator: locator)
            return try restoreArchive(archive, named: entry.id, dryRun: dryRun, locator: locator, options: options)
        }
        let path = try Self.backupPath(given, in: options.backups)
        let name = String(path.split(separator: "/").last ?? "")
        guard let parsed = BackupStore.parse(name) else {
            throw HostedEngineError.backupUnusable(path: path, problem: .notABackupName)
        }
        try Self.verifyContent(path, hex: parsed.hex)
        if let file = HostFile(backupKind: parsed.kind) {
            return try restoreHostFile(path, to: file, dryRun: dryRun, locator: locator, options: options)
        }
        if parsed.kind == OvfStoreArchive.backupKind {
            return try restoreOvfStore(path, dryRun: dryRun, locator: locator, options: options)
        }
        guard parsed.kind == ConfigArchive.backupKind else {
            throw HostedEngineError.backupUnusable(path: path, problem: .unknownKind(parsed.kind))
        }
        // Where it came from, unless --volume or HE_CONF_VOLUME names another volume.
        var locator = locator
        if locator.volume == nil, locator.environment["HE_CONF_VOLUME"].map(\.isEmpty) ?? true,
            let origin = BackupStore.origin(ofBackup: path), LocalFile.exists(origin)
        {
            locator.volume = try Self.checkedOrigin(
                origin, of: path, expected: [try? locator.located().path].compactMap { $0 },
                what: "this host's configuration volume", option: "--volume PATH")
        }
        return try restoreArchive(
            try ArchiveTransfer(schema: schema).readUpload(path), named: path, dryRun: dryRun, locator: locator, options: options)
    }

    /// Writes `upload` (a backup, a version) over the configuration archive, once the change is
    /// confirmed.
    func restoreArchive(
        _ upload: ConfigArchive, named path: String, dryRun: Bool, locator: VolumeLocator, options: SharedConfig.WriteOptions
    )
        throws -> Outcome
    {
        let transfer = ArchiveTransfer(schema: schema)
        var lines: [String]
        do {
            let current = try ConfigArchive.load(from: try locator.openConfigurationVolume(forWriting: false))
            lines =
                ConfigChanges(
                    from: current.memberContents, to: upload.memberContents, memberOrder: ConfigArchive.memberNames, schema: schema
                ).summaryLines
            if lines.isEmpty, upload.recordAlignedBytes == current.bytes { return .unchanged }
        } catch let HostedEngineError.archiveInvalid(_, problem: reason, _) {
            lines = ["the volume holds no valid configuration archive (\(reason)): the backup is written over it whole"]
        }
        if dryRun { return .wouldChange(lines) }
        try confirm(lines, what: "the configuration archive on \(try locator.locate())", options: options)
        switch try transfer.upload(upload, from: path, base: nil, force: true, locator: locator, options: options) {
        case .unchanged: return .unchanged
        case let .written(backup): return .written(backups: [backup])
        case let .wouldChange(lines): return .wouldChange(lines)
        }
    }

    /// A backup's path from what the administrator gave: a path, or the id `--list-backups`
    /// shows (a prefix of its checksum, 6 hex digits or more) or its name in the backup folder.
    static func backupPath(_ given: String, in store: BackupStore) throws -> String {
        if given.contains("/") || LocalFile.exists(given) { return given }
        let matches = try store.list().filter { backup in
            backup.path.hasSuffix("/" + given)
                || (given.count >= 6 && backup.checksum.dropFirst("sha256:".count).hasPrefix(given.lowercased()))
        }
        guard matches.count == 1 else {
            throw HostedEngineError.backupUnusable(
                path: given,
                problem: matches.isEmpty
                    ? .noMatch(folder: store.directory) : .severalMatch(matches.count, folder: store.directory))
        }
        return matches[0].path
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
            throw HostedEngineError.agentCannotRead(error, file: path, outcome: .nothingRestored)
        }
        // Where it came from, unless an option or the environment names the file.
        var local = locator.localConfigFile(file)
        if locator.path(of: file).source == "the default", let origin = BackupStore.origin(ofBackup: path) {
            let checked = try Self.checkedOrigin(
                origin, of: path, expected: [locator.path(of: file).path], what: "this host's \(file.defaultPath)",
                option: "\(file.option) FILE")
            local = LocalConfigFile(path: checked, backupKind: file.backupKind, option: file.option)
        }
        let current = try local.read()
        let name = type.fileName
        let lines = ConfigChanges(from: [name: current.bytes], to: [name: backup], memberOrder: [name], schema: .hostFile(of: type))
            .summaryLines
        if current.bytes == backup { return .unchanged }
        if dryRun { return .wouldChange(lines) }
        try confirm(lines, what: "this host's \(local.path)", options: options)
        return .written(
            backups: try HostFileStore.replace(
                local, expected: current.bytes, with: backup, type: type, action: "restore", locator: locator, options: options))
    }

    /// A backup holds what its name says: its bytes hash to the checksum in its name. A file
    /// changed or put there since is refused.
    static func verifyContent(_ path: String, hex: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw HostedEngineError.backupUnusable(path: path, problem: .notARegularFile)
        }
        guard try Checksum(streaming: FileBytes(path: path, count: Int(status.st_size))).hex == hex else {
            throw HostedEngineError.backupUnusable(path: path, problem: .checksumMismatch)
        }
    }

    /// The place a backup's `.origin` names, when it is one this host's configuration names
    /// (the same file as one of `expected`); anything else is refused: a `.origin` is a file
    /// in a folder, and must not choose where root writes.
    static func checkedOrigin(_ origin: String, of backup: String, expected: [String], what: String, option: String) throws -> String {
        var named = stat()
        let found = stat(origin, &named) == 0
        for place in expected {
            var placed = stat()
            if place == origin || (found && stat(place, &placed) == 0 && placed.st_dev == named.st_dev && placed.st_ino == named.st_ino) {
                return place
            }
        }
        throw HostedEngineError.backupUnusable(
            path: backup, problem: .originElsewhere(origin, what: what, expected: expected.first, option: option))
    }

    func confirm(_ lines: [String], what: String, options: SharedConfig.WriteOptions) throws {
        if options.force { return }
        guard let ask = options.confirm else {
            throw HostedEngineError.restoreNeedsConfirmation(what: what)
        }
        guard ask((["Restoring this backup replaces \(what):"] + lines.map { "  " + $0 }).joined(separator: "\n")) else {
            throw HostedEngineError.notConfirmed
        }
    }
}

extension BackupRestore {
    /// How the backup at `path` differs from where it would be restored: `same`, the changes
    /// (keys, or files of an OVF_STORE) separated by commas, or why it cannot be compared.
    public func difference(of path: String, locator: VolumeLocator) -> String {
        do {
            switch try restore(
                path, dryRun: true, locator: locator, options: SharedConfig.WriteOptions(backups: BackupStore(directory: "/")))
            {
            case .unchanged: return "same"
            case let .wouldChange(lines):
                // The key of each `file: key: old -> new` line; other lines whole.
                return lines.map { line in
                    let parts = line.components(separatedBy: ": ")
                    return parts.count >= 3 ? parts[1] : line
                }.joined(separator: ", ")
            case .written: return ""
            }
        } catch {
            return "cannot compare: " + String("\(error)".split(separator: "\n").first ?? "")
        }
    }
}
