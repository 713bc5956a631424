import ArgumentParser
import Glibc
import HostedEngineConfig

/// Where the configuration volume is; shared by every command.
struct VolumeOptions: ParsableArguments {
    @Option(name: .customLong("volume"), help: ArgumentHelp(
        "The configuration volume (file or block device). Default: $HE_CONF_VOLUME, else found from hosted-engine.conf.",
        valueName: "path"))
    var volume: String?

    @Option(name: .customLong("he-conf"), help: ArgumentHelp(
        "hosted-engine.conf naming sdUUID, conf_image_UUID and conf_volume_UUID. Default: $HE_CONF, else \(VolumeLocator.defaultHostedEngineConf).",
        valueName: "file"))
    var hostedEngineConf: String?

    @Option(name: .customLong("storage-root"), help: ArgumentHelp(
        "Where vdsm exposes storage domains. Default: $HE_STORAGE_ROOT, else \(VolumeLocator.defaultStorageRoot).",
        valueName: "dir"))
    var storageRoot: String?

    var locator: VolumeLocator {
        VolumeLocator(
            volume: volume, hostedEngineConf: hostedEngineConf, storageRoot: storageRoot,
            environment: Environment.values(of: VolumeLocator.environmentNames))
    }
}

/// How a change is written.
struct WriteOptions: ParsableArguments {
    @Option(name: .customLong("lock-timeout"), help: ArgumentHelp(
        "Seconds to wait for another writer's lock on the volume.", valueName: "seconds"))
    var lockTimeout: Double = 30

    @Flag(name: .customLong("allow-large-archive"), help:
        "Write an archive larger than 20480 bytes (hosts and engines before 4.2 read only the first 20480).")
    var allowLargeArchive = false

    @OptionGroup var backup: BackupOptions

    func validate() throws {
        guard lockTimeout >= 0, lockTimeout.isFinite else {
            throw ValidationError("--lock-timeout takes a number of seconds, 0 or more.")
        }
    }

    var options: SharedConfig.WriteOptions {
        SharedConfig.WriteOptions(backups: backups, lockTimeout: lockTimeout, allowLargeArchive: allowLargeArchive)
    }

    var backups: BackupStore { backup.store }
}

/// Where backups are kept.
struct BackupOptions: ParsableArguments {
    @Option(name: .customLong("backup-dir"), help: ArgumentHelp(
        "Where the archive a write replaces is saved first. Default: $HE_BACKUP_DIR, else \(BackupStore.defaultDirectory).",
        valueName: "dir"))
    var backupDirectory: String?

    var store: BackupStore {
        BackupStore(option: backupDirectory, environment: Environment.values(of: ["HE_BACKUP_DIR"]))
    }
}

/// Where the archive a write replaces was saved; on stderr, so stdout stays what the command prints.
func reportBackup(_ path: String) {
    Output.error("Saved the replaced archive as \(path)")
}

enum Environment {
    static func values(of names: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for name in names {
            if let value = getenv(name) { values[name] = String(cString: value) }
        }
        return values
    }
}
