import ArgumentParser
import HostedEngineConfig

struct PruneBackups: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --prune-backups",
        abstract: "Remove all but the newest N backups of each kind: the configuration archive, each OVF_STORE copy, each local file.",
        discussion: "Prints each backup it removes. --dry-run prints them and removes nothing.")

    @Option(name: .customLong("keep"), help: ArgumentHelp("How many of each kind to keep (1 or more).", valueName: "n")) var keep: Int
    @Flag(name: .customLong("dry-run"), help: "Show what would be removed, and remove nothing.") var dryRun = false
    @OptionGroup var backup: BackupOptions

    func validate() throws {
        guard keep >= 1 else { throw ValidationError("--keep takes 1 or more: the newest backup of each kind is always kept.") }
    }

    func run(in context: ToolContext) throws {
        let removed = try backup.store.prune(keep: keep, dryRun: dryRun)
        for item in removed {
            context.output.print("\(dryRun ? "Would remove" : "Removed") \(item.kind) \(TimeText.readable(item.time)) \(item.path)")
        }
        let bytes = removed.reduce(Int64(0)) { $0 + $1.size }
        context.output.error(
            "\(dryRun ? "Would remove" : "Removed") \(removed.count) backup\(removed.count == 1 ? "" : "s") (\(bytes) bytes); the newest \(keep) of each kind \(dryRun ? "would stay" : "stay") in \(backup.store.directory)."
        )
    }
}
