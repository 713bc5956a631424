import ArchiveKit
import Logging

/// `--verify-storage`: reads the configuration volume, every OVF_STORE copy and this host's
/// hosted-engine.conf, and says what each holds and everything wrong with them, each problem
/// with its fix. It writes nothing, not even a pending journal record's settlement: the first
/// command to run when the agents report a bad archive must not change the evidence.
public struct StorageVerification: Sendable {
    public let locator: VolumeLocator
    public let schema: Schema

    public init(locator: VolumeLocator, schema: Schema = .standard) {
        self.locator = locator
        self.schema = schema
    }

    public func run() -> StorageReport {
        var report = StorageReport()
        let archive = checkConfigurationVolume(into: &report)
        checkOvfStores(into: &report)
        compareHostedEngineConf(with: archive, into: &report)
        return report
    }

    /// The volume, its journal and its archive; the archive when it could be read.
    private func checkConfigurationVolume(into report: inout StorageReport) -> ConfigArchive? {
        let (path, how): (String, String)
        do {
            (path, how) = try locator.located()
        } catch {
            report.problems.append("\(error)")
            return nil
        }
        let volume: Volume
        do {
            volume = try locator.open(path, forWriting: false)
        } catch {
            report.add("\(error)", fix: Self.fix(opening: error))
            report.configurationVolume = .init(
                path: path, origin: how, size: nil, facts: nil, journal: nil, archive: nil, isNewest: false)
            return nil
        }
        let (facts, journal) = inspect(volume, what: "configuration volume", into: &report)
        var archive: ConfigArchive?
        var summary: StorageReport.Archive?
        do {
            let read = try ConfigArchive(reading: volume)
            archive = read
            let tarEnd = read.tar.endOfArchiveOffset + 2 * TarHeaderBlock.size
            summary = .init(
                storedBytes: read.bytes.count, recordSize: ConfigArchive.recordSize, checksum: read.checksum,
                members: read.tar.members.map { Self.member($0.entry) })
            if tarEnd > ConfigArchive.recordSize,
                let version = ConfigArchive.newestRestorable(on: volume, maximumBytes: ConfigArchive.recordSize),
                version.id != HistoryBrowser.currentId(of: read, on: volume)
            {
                report.add(
                    "\(path): the archive takes \(tarEnd) bytes, past the \(ConfigArchive.recordSize) that hosts and older engines read; restore the shared history's newest version of one record, \(version.id) of \(TimeText.readable(version.time)): hosted-engine --restore-backup \(version.id) --force (or shorten what grew).",
                    fix: ["hosted-engine --restore-backup \(version.id) --force"])
            } else if tarEnd > ConfigArchive.recordSize {
                report.problems.append(
                    "\(path): the archive takes \(tarEnd) bytes, past the \(ConfigArchive.recordSize) that hosts and older engines read; restore a backup of one record (hosted-engine --list-backups, then --restore-backup ID) or shorten what grew."
                )
            }
            for name in ConfigArchive.memberNames {
                guard let bytes = read.contents(of: name) else { continue }
                // The type whose file it is, for the editor; members of no type are restored, not edited.
                let type = schema.type(forMember: name)?.name
                for problem in ConfigValidator(schema: schema).problems(inMember: name, bytes: bytes) {
                    let edit = type.map { "hosted-engine --edit-shared-config --type \($0)" }
                    report.add(
                        "\(path): \(problem) (as the agents read it); fix it with \(edit ?? "hosted-engine --edit-shared-config"), or restore a backup.",
                        fix: [edit].compactMap { $0 })
                }
            }
        } catch {
            let restorable = ConfigArchive.newestRestorable(on: volume)
            var fix: [String] = []
            if case .pending(_, .interrupted)? = journal?.state {
                fix = ["hosted-engine --get-all-config"]
            } else if let restorable {
                fix = ["hosted-engine --restore-backup \(restorable.id) --force"]
            }
            report.add(
                "\(path): the HA agents cannot read its archive: \(Self.reason(error))\(Self.archiveAdvice(journal, restorable: restorable))",
                fix: fix)
        }
        report.configurationVolume = .init(
            path: path, origin: how, size: volume.size, facts: facts, journal: journal, archive: summary, isNewest: false)
        if let listing = try? HistoryBrowser(schema: schema).listing(of: volume) {
            report.configurationVolume?.history = .init(
                location: listing.location, versions: listing.versions, current: listing.current, damagedSlots: listing.damagedSlots,
                notCompleted: listing.notCompleted?.id, pending: listing.pending.map { "v\($0)" })
        }
        return archive
    }

    /// The fix of a volume that cannot be opened, when it is a command: vdsm's ownership back.
    static func fix(opening error: any Error) -> [String] {
        guard case let HostedEngineError.volumeUnusable(_, .vdsmCannotAccess(_, _, _, _, resolved)) = error else { return [] }
        let path = DisplayText.shellWord(resolved)
        return ["chown 36:36 \(path) && chmod 0660 \(path)"]
    }

    /// Why an archive could not be read, without a write's advice.
    static func reason(_ error: any Error) -> String {
        if case let HostedEngineError.archiveInvalid(_, problem, _) = error { return problem.description }
        return "\(error)"
    }

    /// What to do about an archive that cannot be read, given the journal.
    private static func archiveAdvice(_ journal: JournalInspection?, restorable: RestorableVersion?) -> String {
        if case .pending(_, .interrupted)? = journal?.state {
            return "; the pending journal record holds the interrupted write: run hosted-engine --get-all-config as root to complete it."
        }
        if let restorable {
            return
                "; the agents cannot read it either: restore the shared history's newest version, \(restorable.id) of \(TimeText.readable(restorable.time)), which holds the last change: hosted-engine --restore-backup \(restorable.id) --force."
        }
        return
            "; the agents cannot read it either: restore the newest good backup (hosted-engine --list-backups, then --restore-backup ID)."
    }

    /// The facts and journal of an open volume, with what is wrong with them.
    func inspect(_ volume: Volume, what: String, into report: inout StorageReport) -> (StoredFileFacts?, JournalInspection?) {
        var facts: StoredFileFacts?
        do {
            let found = try StoredFileFacts(volume: volume)
            facts = found
            if !found.readableByVdsm {
                report.add(
                    "\(volume.path): the HA agents read the \(what) as vdsm, which cannot read it (owner \(found.uid):\(found.gid), mode \(StoredFileFacts.octal(found.mode))); give it back: chown vdsm:kvm \(volume.path) && chmod 0660 \(volume.path).",
                    fix: ["chown 36:36 \(DisplayText.shellWord(volume.path)) && chmod 0660 \(DisplayText.shellWord(volume.path))"])
            }
        } catch {
            report.problems.append("\(error)")
        }
        var journal: JournalInspection?
        do {
            let inspection = try JournalInspection(volume: volume)
            journal = inspection
            if case let .pending(time, outcome) = inspection.state {
                // Reading the configuration volume settles it; an OVF_STORE copy, reading vm keys.
                let settle = what == "configuration volume" ? "hosted-engine --get-all-config" : "hosted-engine --get-all-config --type vm"
                report.add("\(volume.path): \(Self.pendingText(time: time, outcome: outcome))", fix: [settle])
            }
        } catch {
            report.problems.append("\(error)")
        }
        return (facts, journal)
    }

    static func pendingText(time: Int64, outcome: JournalInspection.PendingOutcome) -> String {
        let when = TimeText.readable(time)
        let settle = "run hosted-engine --get-all-config as root, which settles it"
        switch outcome {
        case .finished:
            return "a write at \(when) reached the volume but its journal record is still pending; \(settle)."
        case .interrupted:
            return
                "a write at \(when) was interrupted (a crash, or a lost host) and its journal record is pending; \(settle) by writing the new archive again."
        case .overtaken:
            return
                "a write at \(when) was interrupted and another tool has written the volume since; its pending journal record is stale: \(settle) (it drops the record)."
        case .journalTorn:
            return
                "a write at \(when) was interrupted while its journal was being written, before the volume was touched; \(settle) (it drops the record)."
        }
    }

    static func member(_ entry: TarEntry) -> StorageReport.Member {
        .init(
            name: DisplayText.printable(entry.path), size: entry.size, mode: entry.permissions, uid: entry.uid, gid: entry.gid,
            userName: entry.userName.flatMap { $0.isEmpty ? nil : $0 }, groupName: entry.groupName.flatMap { $0.isEmpty ? nil : $0 },
            modificationTime: entry.modificationTime)
    }
}
