import ArgumentParser
import HostedEngineConfig

struct RestoreBackup: WritingCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --restore-backup",
        abstract: "Put a backup back where it came from: this host's hosted-engine.conf or ha.conf, or the configuration archive.",
        discussion: """
            The backup's kind (its name's first word, as --list-backups shows it) says where it goes: \
            he-local to this host's hosted-engine.conf (--he-conf), ha-conf to its ha.conf \
            (--ha-conf), he-conf to the configuration volume (--volume). The keys it changes are \
            shown (secrets masked) and confirmed on a terminal; without one, --force is needed. \
            What it replaces is saved as a backup first.
            """)

    @Argument(help: ArgumentHelp("A backup: its id as --list-backups shows it, or its path.", valueName: "id|path")) var path: String
    @Flag(name: .customLong("dry-run"), help: "Show what the restore would change, and write nothing.") var dryRun = false
    @Flag(name: .customLong("force"), help: "Restore without asking.") var force = false
    @OptionGroup var volume: VolumeOptions
    @OptionGroup var write: WriteOptions

    func run(in context: ToolContext) throws {
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
