import ArgumentParser
import HostedEngineConfig

struct RestoreBackup: WritingCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --restore-backup",
        abstract:
            "Put a version of the shared history, or a backup, back where it came from: the configuration archive, or this host's hosted-engine.conf or ha.conf.",
        discussion: """
            A version (v17, as --history shows it, from any host) goes to the configuration volume; \
            with --key KEY, only that key is set to the value the version holds, as \
            --set-shared-config sets it, and later changes to other keys stay. A local backup's kind \
            (its name's first word, as --list-backups shows it) says where it goes: he-local to \
            this host's hosted-engine.conf (--he-conf), ha-conf to its ha.conf (--ha-conf), he-conf \
            to the configuration volume (--volume). The keys it changes are shown (secrets masked) \
            and confirmed on a terminal; without one, --force is needed. What it replaces is saved \
            as a backup first.
            """)

    @Argument(
        help: ArgumentHelp(
            "A version as --history shows it (v17), a backup's id as --list-backups shows it, or a backup's path.",
            valueName: "id|path"))
    var path: String
    @Option(name: .customLong("key"), help: ArgumentHelp("Restore only this key, from a version of the shared history.", valueName: "key"))
    var key: String?
    @Option(name: .customLong("type"), help: "The key's type, when its name is in more than one (with --key).") var type: String?
    @Flag(name: .customLong("dry-run"), help: "Show what the restore would change, and write nothing.") var dryRun = false
    @Flag(name: .customLong("force"), help: "Restore without asking.") var force = false
    @OptionGroup var volume: VolumeOptions
    @OptionGroup var write: WriteOptions

    var historySubject: String? { [path, key.map { "--key \($0)" }].compactMap { $0 }.joined(separator: " ") }

    func validate() throws {
        if key != nil, HistoryBrowser.sequence(of: path) == nil {
            throw ValidationError(
                "--key restores one key from a version of the shared history (v17, as --history shows it), not from \(path).")
        }
        if type != nil, key == nil { throw ValidationError("--type goes with --key KEY.") }
    }

    func run(in context: ToolContext) throws {
        if let key {
            var options = write.options(force: force, context: context)
            options.dryRun = dryRun
            switch try HistoryBrowser().restoreKey(key, type: type, from: path, locator: volume.locator(context), options: options) {
            case .unchanged:
                context.output.error("\(key) already holds the value \(path) holds; nothing was written.")
            case let .wouldWrite(old, _):
                let secret = (try? SharedConfig().resolve(key: key, type: type).key.isSecret) ?? true
                context.output.print("Would restore \(key) from \(path); it is now \(DisplayText.quoted(old, secret: secret)).")
            case let .written(backups, notes):
                context.output.notes(notes)
                context.output.backups(backups)
            case .wouldWriteEach:
                break  // one key: never several
            }
            return
        }
        switch try BackupRestore().restore(
            path, dryRun: dryRun, locator: volume.locator(context), options: write.options(force: force, context: context))
        {
        case .unchanged:
            context.output.error("Already as the backup holds it; nothing was written.")
        case let .wouldChange(lines):
            context.output.print((["Would restore \(path):"] + lines.map { "  " + $0 }).joined(separator: "\n"))
        case let .written(backups):
            context.output.backups(backups)
        }
    }
}
