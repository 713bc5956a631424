import ArgumentParser
import HostedEngineConfig

/// Where backups are kept.
struct BackupOptions: ParsableArguments {
    @Option(
        name: .customLong("backup-dir"),
        help: ArgumentHelp(
            "Where the archive a write replaces is saved first. Default: $HE_BACKUP_DIR, else \(BackupStore.defaultDirectory).",
            valueName: "dir"))
    var backupDirectory: String?

    var store: BackupStore { Self.store(directory: backupDirectory) }

    static func store(directory: String? = nil) -> BackupStore {
        BackupStore(option: directory, environment: Environment.values(of: ["HE_BACKUP_DIR"]))
    }
}
