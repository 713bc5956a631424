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

    func run() throws {
        let entries = try BackupListing().entries(of: backup.store, locator: volume.locator)
        if json {
            print(JSONText.array(entries.map(\.json)))
            return
        }
        if entries.isEmpty {
            Output.error("No backups in \(backup.store.directory).")
            return
        }
        print(BackupListing.header)
        for entry in entries { print(entry.line) }
        let total = entries.reduce(Int64(0)) { $0 + $1.backup.size }
        print(
            "\(entries.count) backup\(entries.count == 1 ? "" : "s"), \(total) bytes in all; restore one with hosted-engine --restore-backup ID"
        )
    }
}
