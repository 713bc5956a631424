import ArchiveKit
import Glibc

/// Whole archives in and out: download to a file (or stdout), upload with a compare-and-swap
/// against the base the download printed.
public struct ArchiveTransfer: Sendable {
    public let schema: Schema
    /// The largest file accepted as an upload, compressed or not.
    static let uploadLimit: Int64 = 64 << 20

    public init(schema: Schema = .standard) {
        self.schema = schema
    }

    public enum UploadOutcome: Sendable, Equatable {
        /// The volume already holds exactly this archive; nothing was written.
        case unchanged
        case written(backup: String)
        /// A dry run: what the upload would change, one line each; nothing was written.
        case wouldChange([String])
    }

    /// Writes the archive exactly as stored to `path` (`-` for stdout), gzip-compressed through
    /// libarchive's zlib filter when the name ends in `.tar.gz` or `.tgz`. Files are 0600:
    /// hosted-engine.conf may hold an iSCSI password.
    public func write(_ archive: ConfigArchive, to path: String) throws {
        let compressed = path.hasSuffix(".tar.gz") || path.hasSuffix(".tgz")
        let bytes: [UInt8]
        do {
            bytes = compressed ? try Gzip.compress(archive.bytes) : archive.bytes
        } catch {
            throw HostedEngineError.io(path: path, operation: "compress the archive for", errno: EIO)
        }
        if path == "-" {
            do {
                try SystemCalls.writeAll(1, bytes)
            } catch {
                throw HostedEngineError.io(path: "standard output", operation: "write the archive to", errno: error.rawValue)
            }
            return
        }
        do {
            try LocalFile.writeAtomically(path, bytes, mode: 0o600)
        } catch {
            throw HostedEngineError.io(path: path, operation: "write the archive to", errno: error.rawValue)
        }
    }

    /// Reads an archive file (`.tar` or gzip-compressed, whatever its name) as an upload.
    public func readUpload(_ path: String) throws -> ConfigArchive {
        var bytes: [UInt8]
        do {
            bytes = try LocalFile.read(path, limit: Int(Self.uploadLimit), orPipe: true)
        } catch {
            switch error {
            case let .system(error): throw HostedEngineError.io(path: path, operation: "read", errno: error.rawValue)
            case .tooLarge:
                throw HostedEngineError.archiveInvalid(path: path, problem: .uploadTooLarge(limitMiB: Self.uploadLimit >> 20))
            case .notARegularFile:
                throw HostedEngineError.archiveInvalid(path: path, problem: .uploadNotRegular)
            }
        }
        if Gzip.isCompressed(bytes) {
            do {
                bytes = try Gzip.decompress(bytes, limit: ConfigArchive.maximumBytesRead)
            } catch let error as ArchiveError {
                throw HostedEngineError.archiveInvalid(path: path, problem: .uploadNotGzip("\(error)"))
            }
        }
        return try ConfigArchive(bytes: bytes, origin: path)
    }

    /// Replaces the volume's archive with the one in `path`.
    ///
    /// Unless `force`: the volume must still hold `base`, and only editable keys may differ,
    /// with values that pass their rules; the changed files are spliced into the volume's
    /// archive. With `force` (a restore) the upload is written as it is. Always: the upload is
    /// a tar with the five members, and the members it changes read as configuration files.
    public func upload(
        _ path: String, base: Checksum?, force: Bool, dryRun: Bool = false, locator: VolumeLocator, options: SharedConfig.WriteOptions
    ) throws -> UploadOutcome {
        try upload(try readUpload(path), from: path, base: base, force: force, dryRun: dryRun, locator: locator, options: options)
    }

    /// Replaces the volume's archive with `upload`, read from `path` (a file, a backup, a
    /// version of the shared history), as `upload(_:base:force:dryRun:locator:options:)` does.
    public func upload(
        _ upload: ConfigArchive, from path: String, base: Checksum?, force: Bool, dryRun: Bool = false, locator: VolumeLocator,
        options: SharedConfig.WriteOptions
    ) throws -> UploadOutcome {
        let volume = try locator.openConfigurationVolume(forWriting: true)
        let current: ConfigArchive
        do {
            current = try ConfigArchive.load(from: volume, lockTimeout: options.lockTimeout)
        } catch let HostedEngineError.archiveInvalid(_, problem: reason, _) where force {
            if dryRun {
                return .wouldChange(["the volume holds no valid configuration archive (\(reason)): \(path) is written over it whole"])
            }
            return try overwrite(volume, with: upload, damage: reason.description, path: path, locator: locator, options: options)
        }
        if !force {
            guard let base else { throw HostedEngineError.missingBase }
            guard base == current.checksum else {
                let report = ConflictReport(schema: schema, volume: volume)
                let lines = report.archive(at: base).map { report.lines(from: $0, to: current) } ?? []
                throw lines.isEmpty ? HostedEngineError.changedBySomebodyElse : .changedMeanwhile(lines)
            }
        }
        let problems = ConfigValidator(schema: schema).problems(
            base: current.memberContents, proposed: upload.memberContents,
            memberOrder: ConfigArchive.memberNames, whitelist: !force)
        if !problems.isEmpty {
            let restore = "--force restores an archive with other changes, such as an old backup"
            throw HostedEngineError.refusing(
                problems, notDone: "nothing was uploaded from \(path)", advice: force ? nil : (one: restore, many: restore))
        }
        // A checked upload changes only editable files: their new contents are spliced into the
        // volume's archive, so every other member keeps its bytes whatever tool rebuilt the tar.
        // A forced upload is a restore, written as it is.
        let bytes: [UInt8]
        var notes: [String] = []
        if force {
            // A restore writes broker.conf whatever the broker makes of it, and says so after.
            bytes = upload.recordAlignedBytes
            notes = unreadableByTheBroker(upload)
        } else {
            let changes = ConfigChanges(
                from: current.memberContents, to: upload.memberContents, memberOrder: ConfigArchive.memberNames, schema: schema)
            if changes.isEmpty { return .unchanged }
            for member in changes.changedMembers {
                guard let new = upload.contents(of: member) else { continue }
                notes += try schema.verify(member: member, old: current.contents(of: member), new: new, intended: new, changes: changes)
            }
            bytes = try current.replacing(
                changes.changedMembers.map { ($0, upload.contents(of: $0) ?? []) },
                modificationTime: options.modificationTime ?? TimeText.now(), allowLargeArchive: options.allowLargeArchive)
        }
        if bytes == current.bytes { return .unchanged }
        let summary = ConfigChanges(
            from: current.memberContents, to: upload.memberContents, memberOrder: ConfigArchive.memberNames, schema: schema
        ).summaryLines
        if dryRun { return .wouldChange(summary) }
        if force, !summary.isEmpty {
            locator.volumeSettings.report((["Restoring \(path) changes:"] + summary.map { "  " + $0 }).joined(separator: "\n"))
        }
        if bytes.count > ConfigArchive.recordSize, !options.allowLargeArchive {
            throw HostedEngineError.archiveTooLarge(size: bytes.count, limit: ConfigArchive.recordSize)
        }
        let backup = try CompareAndSwap.configuration(volume: volume, options: options, schema: schema, locator: locator)
            .replace(base: current, with: bytes)
        options.audit(
            force ? "restore" : "upload", target: volume.path, type: nil, changes: summary, before: current.checksum,
            after: Checksum(of: bytes), locator: locator)
        for note in notes { locator.volumeSettings.report(note) }
        return .written(backup: backup)
    }

    /// A forced restore onto a volume that holds no valid archive (`damage` says why): the
    /// upload written whole over what is there, which is saved first.
    private func overwrite(
        _ volume: Volume, with upload: ConfigArchive, damage: String, path: String, locator: VolumeLocator,
        options: SharedConfig.WriteOptions
    ) throws -> UploadOutcome {
        let problems = ConfigValidator(schema: schema).problems(
            base: [:], proposed: upload.memberContents, memberOrder: ConfigArchive.memberNames, whitelist: false)
        if !problems.isEmpty { throw HostedEngineError.refusing(problems, notDone: "nothing was uploaded from \(path)", advice: nil) }
        let bytes = upload.recordAlignedBytes
        if bytes.count > ConfigArchive.recordSize, !options.allowLargeArchive {
            throw HostedEngineError.archiveTooLarge(size: bytes.count, limit: ConfigArchive.recordSize)
        }
        let backup = try CompareAndSwap.configuration(volume: volume, options: options, schema: schema, locator: locator).overwrite(
            with: bytes)
        options.audit(
            "restore", target: volume.path, type: nil, changes: ["the volume held no valid archive (\(damage)): written whole"],
            before: nil,
            after: Checksum(of: bytes), locator: locator)
        locator.volumeSettings.report(
            "The volume held no valid configuration archive (\(damage)); \(path) was written over it whole, and what it held was saved first."
        )
        for note in unreadableByTheBroker(upload) { locator.volumeSettings.report(note) }
        return .written(backup: backup)
    }

    /// A warning for each member of `archive` that the HA broker cannot read.
    private func unreadableByTheBroker(_ archive: ConfigArchive) -> [String] {
        schema.members.compactMap { member in
            guard member.reader == .haBroker, let bytes = archive.contents(of: member.name),
                let failure = BrokerReading(bytes: bytes).failure(reading: schema.type(forMember: member.name)?.keys ?? [])
            else { return nil }
            return "WARNING: restored as given, but \(HostedEngineError.brokerCannotRead(failure, file: member.name))."
        }
            + schema.members.flatMap { member -> [String] in
                guard member.reader == .haAgent, AgentConfReading.configuresNetworkTest(member.name),
                    let bytes = archive.contents(of: member.name), let reading = try? AgentConfReading(bytes: bytes)
                else { return [] }
                return reading.networkProblems.map { "WARNING: restored as given, but in \(member.name): \($0.message)." }
            }
    }
}
