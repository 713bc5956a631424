import Glibc

/// Every failure the tool reports, with the message an administrator reads and the exit code
/// scripts rely on. The texts the design note gives are reproduced exactly.
public enum HostedEngineError: Error, Equatable, CustomStringConvertible, Sendable {
    // Key and type resolution (the design note's texts).
    /// A key in more than one type; `types` are the ones that hold it, `files` what each one's file is.
    case duplicateKey(String, types: [String], files: [String])
    /// `hint`: one more line, what the administrator probably meant.
    case invalidKey(String, available: [String], hint: String? = nil)
    case invalidType(String, supported: [String], hint: String? = nil)

    // Values.
    case invalidValue(key: String, value: String, rule: String)
    case missingValue(key: String)
    case keyNotSet(key: String, file: String, fallback: String?)
    /// A key named twice in one set of several (`earlier`: how it was named first).
    case keyGivenTwice(key: String, earlier: String)
    /// Keys that cannot be set in one write, and why.
    case notTogether(keys: [String], why: WriteRefusal)
    /// A key that can be read but not set, and why.
    case notEditable(key: String, reason: WriteRefusal)

    // Finding and opening the volume.
    case volumeNotFound(LocatingProblem)
    case volumeUnusable(path: String, problem: VolumeProblem)
    case io(path: String, operation: String, errno: Int32)

    // What the volume holds.
    /// `restorable`: the newest version of the shared history, when there is one to restore.
    case archiveInvalid(path: String, problem: ArchiveProblem, restorable: RestorableVersion? = nil)
    /// `outcome`: what was not done because of it, when the message should say so.
    case configFileInvalid(file: String, line: Int?, problem: ConfigFileProblem, outcome: ConfigFileProblem.Outcome? = nil)
    case ovfInvalid(name: String, problem: OvfProblem)
    case archiveTooLarge(size: Int, limit: Int)
    case archiveDoesNotFit(size: Int, volumeSize: Int64, path: String)

    // Writing.
    case changedBySomebodyElse
    /// The same, with what changed: one line per key, its value now and who changed it.
    case changedMeanwhile([String])
    /// `holder`: who holds it, when this host can tell.
    case locked(path: String, waitedSeconds: Double, holder: LockHolder? = nil)
    /// A block device with no sanlock lease to take, and no --without-sanlock.
    case noCrossHostLease(path: String, reason: LeaseProblem)
    /// The lease was lost while writing; `wroteAnything`: the journal holds a pending record.
    case leaseLost(path: String, reason: LeaseProblem, wroteAnything: Bool)
    /// The change reached the write journal (durable) but not its place: the next command
    /// completes it. `cause`: what stopped it.
    indirect case recordedNotCompleted(path: String, cause: HostedEngineError)
    /// This host's configuration file, locked by another writer.
    case fileLocked(path: String, waitedSeconds: Double, holder: LockHolder? = nil)
    /// This host's configuration file cannot be used: the problem, and what to do.
    case localFile(path: String, problem: LocalFileProblem)
    case backupFailed(directory: String, problem: BackupFolderProblem)
    /// A backup named to restore that cannot be restored.
    case backupUnusable(path: String, problem: BackupProblem)

    // The shared history.
    /// A block device too small to hold a history beside the archive, lease and journal.
    case noSharedHistory(path: String)
    /// `newest`, `oldest`: the IDs the history holds, nil when it holds none.
    case versionNotFound(String, newest: String?, oldest: String?)
    case versionUnusable(String, problem: ArchiveProblem)
    case keyNotInVersion(key: String, version: String, file: String)
    case missingBase
    case workingDirectory(String, WorkingDirectoryProblem)
    /// `details`: each key's value now and who changed it, one line each.
    case pushConflict(changedOnVolume: [String], details: [String] = [])
    case rebaseConflict(overlaps: [String])
    case editAborted(EditAbort)
    /// A change that must be seen and confirmed: `what` it changes, said after the key.
    case confirmationNeeded(key: String, what: String)
    case notConfirmed
    /// A restore over `what`, with no terminal to confirm it on.
    case restoreNeedsConfirmation(what: String)
    /// Some OVF_STORE copies were written before one failed.
    indirect case partlyWritten(written: [String], failed: String, HostedEngineError)
    /// An OVF_STORE upload that reached some copies: `--force` brings the rest in step.
    indirect case partlyUploaded(written: [String], failed: String, HostedEngineError)
    /// An edit that was not pushed, kept for the administrator.
    indirect case keptCopy(HostedEngineError, copy: String, workingDirectory: String)
    case invalidBase(String)
    /// Every problem found, one `FILE:LINE: message` per line, then what was not done.
    case refused(problems: [Problem], summary: String)

    /// Exit status; documented in the README and stable.
    public var exitCode: Int32 {
        switch self {
        case let .keptCopy(error, _, _): return error.exitCode
        case let .partlyWritten(_, _, error), let .partlyUploaded(_, _, error): return error.exitCode
        case .changedBySomebodyElse, .changedMeanwhile, .pushConflict, .rebaseConflict: return 3
        case .missingValue, .missingBase, .invalidBase: return 64
        default: return 1
        }
    }

    public var description: String {
        switch self {
        case let .duplicateKey(key, types, files):
            let holders = zip(types, files).map { "\($0) (\($1))" }
            let names = types.map { "--type \($0)" }
            return
                "Duplicate key, please specify the key type.\n\(key) is in \(Self.list(holders)); add \(Self.list(names, conjunction: "or"))."
        case let .invalidKey(key, available, hint):
            return (["Invalid configuration key \(key).", "Available keys are:"] + available + [hint].compactMap { $0 }).joined(
                separator: "\n")
        case let .invalidType(type, supported, hint):
            return "Invalid configuration type \(type), supported types are: \(supported.joined(separator: ", "))"
                + (hint.map { "\n" + $0 } ?? "")
        case let .invalidValue(key, value, rule):
            return "Invalid value '\(DisplayText.printable(value))' for \(key): \(rule)."
        case let .missingValue(key):
            return "Missing the value to set for \(key): usage: hosted-engine --set-shared-config KEY VALUE [--type TYPE]"
        case let .keyNotSet(key, file, fallback):
            let effect = fallback.map { " (the broker uses its default, \($0))" } ?? ""
            return
                "\(key) is not set in \(file) on the configuration volume\(effect); set it with hosted-engine --set-shared-config \(key) VALUE"
        case let .keyGivenTwice(key, earlier):
            let also = earlier == key ? "" : " (as \(earlier) too)"
            return "\(key) is given twice\(also); give each key once. Nothing was written."
        case let .notTogether(keys, why):
            return "\(keys.joined(separator: ", ")) cannot be set in one write: \(why). Nothing was written."
        case let .notEditable(key, reason):
            return "\(key) cannot be set with this tool: \(reason)."
        case let .volumeNotFound(problem):
            return problem.description
        case let .volumeUnusable(path, problem):
            return "Cannot use the configuration volume \(path): \(problem)"
        case let .io(path, operation, code):
            return "Cannot \(operation) \(path): \(Self.describe(errno: code))"
        case let .archiveInvalid(path, problem, restorable):
            guard let restorable else {
                return
                    "The configuration volume \(path) holds no valid configuration archive: \(problem); nothing was written. Restore one: hosted-engine --list-backups, then hosted-engine --restore-backup PATH --force."
            }
            return
                "The configuration volume \(path) holds no valid configuration archive: \(problem); nothing was written. The shared history's newest version, \(restorable.id) of \(TimeText.readable(restorable.time)), holds the last change: restore it with hosted-engine --restore-backup \(restorable.id) --force."
        case let .ovfInvalid(name, problem):
            return "The engine VM's OVF \(DisplayText.printable(name)) cannot be used: \(problem)."
        case let .configFileInvalid(file, line, problem, outcome):
            let place = line.map { "\(file):\($0)" } ?? file
            return "\(place): \(problem.text(in: file))" + (outcome.map { "; \($0.rawValue)" } ?? "")
        case let .archiveTooLarge(size, limit):
            return
                "The new configuration archive would be \(size) bytes, more than the \(limit) bytes that hosts and older engines read; shorten the value, or pass --allow-large-archive if every host runs a version that reads larger archives."
        case let .archiveDoesNotFit(size, volumeSize, path):
            return
                "The new configuration archive (\(size) bytes) does not fit in \(path), which is \(volumeSize) bytes; it was not written. Shorten the value."
        case .changedBySomebodyElse:
            return "Update failed. The configuration file was changed by somebody else, try again."
        case let .backupFailed(directory, problem):
            return
                "Cannot save a backup of the current archive in \(directory) (\(problem)); nothing was written. Choose another folder with --backup-dir DIR or HE_BACKUP_DIR."
        case let .workingDirectory(directory, reason):
            return "Cannot use the working directory \(directory): \(reason)."
        case let .changedMeanwhile(lines):
            return ([Self.changedBySomebodyElse.description] + lines.map { "  " + $0 }).joined(separator: "\n")
        case let .pushConflict(changed, details):
            return
                ([Self.changedBySomebodyElse.description, "Changed on the volume since checkout: \(changed.joined(separator: ", "))."]
                + details.map { "  " + $0 }
                + ["The working directory is as it was; push again with --rebase to merge your changes onto these, or check out again."])
                .joined(separator: "\n")
        case let .rebaseConflict(overlaps):
            return
                (["Cannot rebase: these changed both here and on the volume:"] + overlaps.map { "  " + $0 }
                + ["Nothing was written; make the working directory agree with the volume, or check out again."]).joined(separator: "\n")
        case let .confirmationNeeded(key, what):
            return "Setting \(key) \(what); run this on a terminal to see the change and confirm it, or pass --force."
        case .notConfirmed:
            return "Not confirmed; nothing was written."
        case let .restoreNeedsConfirmation(what):
            return
                "Restoring this backup replaces \(what); run this on a terminal to see the changes and confirm them, see them with --dry-run, or pass --force."
        case let .partlyWritten(written, failed, error):
            return
                "\(error.description)\nThe change was written to \(written.joined(separator: ", ")) but not to \(failed); run the command again to bring them in step."
        case let .partlyUploaded(written, failed, error):
            return
                "\(error.description)\nThe upload was written to \(written.joined(separator: ", ")) but not to \(failed); run hosted-engine --upload-ovf-store DIR --force to bring them in step."
        case let .editAborted(reason):
            return "Edit cancelled: \(reason); nothing was written."
        case let .keptCopy(error, copy, directory):
            return error.description
                + "\nYour edited copy is kept at \(copy); it is a checkout, so hosted-engine --push-config \(DisplayText.shellWord(directory)) --rebase can still push it."
        case .missingBase:
            return
                "--upload-archive needs --base sha256:... as --download-archive printed it, or --force to restore an archive whatever the volume holds now."
        case let .invalidBase(given):
            return
                "--base \(DisplayText.printable(given)) is not a checksum: give all of it, sha256: and 64 hex digits, as --download-archive printed it (a prefix is not enough)."
        case let .refused(problems, summary):
            // One problem stays on one line; several are listed, one per line, as --validate-config does.
            if problems.count == 1 { return "\(problems[0]) (\(summary))" }
            return (problems.map(\.description) + [summary]).joined(separator: "\n")
        case let .locked(path, waited, holder):
            let who = holder.map { ", \($0)" } ?? ""
            return
                "The configuration volume \(path) is locked by another writer (waited \(Self.seconds(waited)) s)\(who); try again later, or wait longer with --lock-timeout SECONDS."
        case let .noCrossHostLease(path, reason):
            return
                "Cannot write \(path) without the sanlock lease (\(reason)): on block storage it is the only lock other hosts see, and a write from another host at the same moment could be lost; nothing was written. Start sanlock and ovirt-ha-broker (systemctl start sanlock ovirt-ha-broker), or, when no other host can write now, pass --without-sanlock."
        case let .leaseLost(path, reason, wroteAnything):
            if !wroteAnything {
                return
                    "The sanlock lease on \(path) was lost before this write began (\(reason)); nothing was written. Check sanlock (systemctl status sanlock) and run the command again."
            }
            return
                "The sanlock lease on \(path) was lost in the middle of this write (\(reason)), so the write stopped: its journal record is on the volume, and the next command that reads the volume completes it (hosted-engine --verify-storage shows it pending)."
        case let .recordedNotCompleted(path, cause):
            let why = cause.description.hasSuffix(".") ? String(cause.description.dropLast()) : cause.description
            return
                "The change is recorded in the write journal of \(path), but writing it in place failed (\(why)). It is not lost: the next command that reads the volume, on any host, completes it; once the storage is healthy, complete it now with hosted-engine --get-all-config (hosted-engine --verify-storage shows it pending)."
        case let .fileLocked(path, waited, holder):
            let who = holder.map { ", \($0)" } ?? ""
            return
                "\(path) is locked by another writer on this host (waited \(Self.seconds(waited)) s)\(who); try again later, or wait longer with --lock-timeout SECONDS."
        case let .localFile(path, problem):
            return "\(path): \(problem)."
        case let .backupUnusable(path, problem):
            return "\(DisplayText.printable(path)): \(problem)."
        case let .noSharedHistory(path):
            return
                "\(path) keeps no shared history: it is a block device smaller than 128 MiB, with no room for one beside the archive, the lease and the journal; this host's backups remain (hosted-engine --list-backups)."
        case let .versionNotFound(id, newest, oldest):
            let holds = newest.map { newest in " (it holds \(oldest.map { $0 == newest ? newest : "\($0) to \(newest)" } ?? newest))" }
            return
                "No version \(id) in the shared history\(holds ?? " (it holds none yet; every write adds one)"); list them with hosted-engine --history."
        case let .keyNotInVersion(key, version, file):
            return
                "\(key) is not set in \(file) of \(version), so it holds no value to restore; nothing was written. See what it holds with hosted-engine --show-version \(version)."
        case let .versionUnusable(id, problem):
            return
                "Version \(id) of the shared history holds no valid configuration archive: \(problem); nothing was written. Choose another with hosted-engine --history."
        }
    }

    /// Every problem found, and what was not done: `notDone` (`nothing was pushed`), then what
    /// to do about one problem or several (`advice.one`, `advice.many`), if there is advice.
    static func refusing(_ problems: [Problem], notDone: String, advice: (one: String, many: String)?) -> HostedEngineError {
        if problems.count == 1 {
            return .refused(problems: problems, summary: notDone + (advice.map { "; " + $0.one } ?? ""))
        }
        let sentence = notDone.prefix(1).uppercased() + notDone.dropFirst()
        return .refused(
            problems: problems, summary: sentence + ": \(problems.count) problems above" + (advice.map { "; " + $0.many } ?? "") + ".")
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String], conjunction: String = "and") -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
    }

    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
