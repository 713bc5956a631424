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

    @Option(name: .customLong("ovf-store"), help: ArgumentHelp(
        "An OVF_STORE volume holding the engine VM's OVF, for vm keys; repeat for each copy. Default: $HE_OVF_STORE (paths separated by ':'), else found by scanning the storage domain's .meta files.",
        valueName: "path"))
    var ovfStores: [String] = []

    var locator: VolumeLocator {
        Self.locator(volume: volume, hostedEngineConf: hostedEngineConf, storageRoot: storageRoot, ovfStores: ovfStores)
    }

    static func locator(volume: String? = nil, hostedEngineConf: String? = nil, storageRoot: String? = nil, ovfStores: [String] = []) -> VolumeLocator {
        VolumeLocator(
            volume: volume, hostedEngineConf: hostedEngineConf, storageRoot: storageRoot, ovfStores: ovfStores,
            environment: Environment.values(of: VolumeLocator.environmentNames))
    }
}

/// How a change is written.
struct WriteOptions: ParsableArguments {
    static let defaultLockTimeout: Double = 30

    @Option(name: .customLong("lock-timeout"), help: ArgumentHelp(
        "Seconds to wait for another writer's lock on the volume.", valueName: "seconds"))
    var lockTimeout: Double = defaultLockTimeout

    @Flag(name: .customLong("allow-large-archive"), help:
        "Write an archive larger than 20480 bytes (hosts and engines before 4.2 read only the first 20480).")
    var allowLargeArchive = false

    @OptionGroup var backup: BackupOptions

    func validate() throws {
        guard lockTimeout >= 0, lockTimeout.isFinite else {
            throw ValidationError("--lock-timeout takes a number of seconds, 0 or more.")
        }
    }

    /// With `force`, vm changes are written without asking and may name a network the OVF
    /// does not list; without it they are confirmed on the terminal, when there is one.
    func options(force: Bool = false) -> SharedConfig.WriteOptions {
        Self.options(backups: backups, lockTimeout: lockTimeout, allowLargeArchive: allowLargeArchive, force: force)
    }

    static func options(
        backups: BackupStore = BackupOptions.store(), lockTimeout: Double = defaultLockTimeout, allowLargeArchive: Bool = false, force: Bool = false
    ) -> SharedConfig.WriteOptions {
        SharedConfig.WriteOptions(
            backups: backups, lockTimeout: lockTimeout, allowLargeArchive: allowLargeArchive, force: force,
            confirm: isatty(0) == 1 ? Confirmation.ask : nil)
    }

    var backups: BackupStore { backup.store }
}

/// Where backups are kept.
struct BackupOptions: ParsableArguments {
    @Option(name: .customLong("backup-dir"), help: ArgumentHelp(
        "Where the archive a write replaces is saved first. Default: $HE_BACKUP_DIR, else \(BackupStore.defaultDirectory).",
        valueName: "dir"))
    var backupDirectory: String?

    var store: BackupStore { Self.store(directory: backupDirectory) }

    static func store(directory: String? = nil) -> BackupStore {
        BackupStore(option: directory, environment: Environment.values(of: ["HE_BACKUP_DIR"]))
    }
}

/// Where the archives a write replaced were saved; on stderr, so stdout stays what the command prints.
func reportBackup(_ paths: [String]) {
    for path in paths { Output.error("Saved the replaced archive as \(path)") }
}

/// Asks on the terminal before a vm key is written; anything but yes is no.
enum Confirmation {
    @Sendable static func ask(_ plan: VmConfig.Plan) -> Bool {
        print(plan)
        print("Write this change? [y/N] ", terminator: "")
        fflush(nil)
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.filter { $0 != " " && $0 != "\t" }.lowercased())
    }
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
