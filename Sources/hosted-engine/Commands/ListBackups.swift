import ArgumentParser
import HostedEngineConfig

struct ListBackups: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --list-backups",
        abstract: "List the archives and files saved before each write, oldest first.",
        discussion:
            "Restore one with hosted-engine --restore-backup PATH (a configuration archive, he-conf, also with --upload-archive PATH --force)."
    )

    @Flag(name: .customLong("json"), help: "Print JSON.") var json = false
    @OptionGroup var backup: BackupOptions
    @OptionGroup var volume: VolumeOptions

    func run(in context: ToolContext) throws {
        let entries = try BackupListing().entries(of: backup.store, locator: volume.locator(context))
        if json {
            context.output.print(JSONText.array(entries.map(\.json)))
            return
        }
        if entries.isEmpty {
            context.output.error("No backups in \(backup.store.directory).")
            return
        }
        context.output.print(BackupListing.header)
        for entry in entries { context.output.print(entry.line) }
        let total = entries.reduce(Int64(0)) { $0 + $1.backup.size }
        context.output.print(
            "\(entries.count) backup\(entries.count == 1 ? "" : "s"), \(total) bytes in all; restore one with hosted-engine --restore-backup ID"
        )
    }
}
