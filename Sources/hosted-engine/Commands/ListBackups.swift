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

    func run() throws {
        let backups = try backup.store.list()
        if json {
            print(JSONText.array(backups.map(\.json)))
            return
        }
        if backups.isEmpty {
            Output.error("No backups in \(backup.store.directory).")
        }
        for item in backups {
            print("\(TimeText.readable(item.time))  \(item.checksum)  \(item.size) bytes  \(item.path)")
        }
    }
}
