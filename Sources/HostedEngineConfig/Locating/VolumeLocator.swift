import Glibc
import Logging

/// Finds the configuration volume the way an administrator expects: an explicit path first,
/// then the environment, then this host's hosted-engine.conf and vdsm's storage tree.
public struct VolumeLocator: Sendable {
    public static let defaultHostedEngineConf = HostFile.hostedEngineConf.defaultPath
    public static let defaultStorageRoot = "/run/vdsm/storage"
    /// Where vdsm mounts file domains (upstream's SD_MOUNT_PARENT).
    public static let defaultMountRoot = "/rhev/data-center/mnt"

    /// `--volume PATH`
    public var volume: String?
    /// `--he-conf FILE`
    public var hostedEngineConf: String?
    /// `--ha-conf FILE`
    public var haConf: String?
    /// `--storage-root DIR`
    public var storageRoot: String?
    /// `--ovf-store PATH`, repeated: the OVF_STORE volumes, for vm keys.
    public var ovfStores: [String]
    /// The process environment (`HE_CONF_VOLUME`, `HE_CONF`, `HE_HA_CONF`, `HE_STORAGE_ROOT`, `HE_OVF_STORE`).
    public var environment: [String: String]
    /// How the volumes found are opened, and where notices go; a volume reached through a link
    /// may lie in the storage folders this locator looks in, and a writer takes its lease in the
    /// lockspace this host's hosted-engine.conf names (found only when a lock is taken). So every
    /// volume opened with these settings is written the same way, whoever opens it.
    public var volumeSettings: Volume.Settings {
        get {
            var settings = givenSettings
            settings.storagePlaces = Volume.Settings.defaultStoragePlaces + [resolvedStorageRoot, resolvedMountRoot]
            let locator = self
            settings.lease = { resource in locator.leaseSettings(resourceName: resource) }
            return settings
        }
        set { givenSettings = newValue }
    }
    private var givenSettings: Volume.Settings

    public init(
        volume: String? = nil, hostedEngineConf: String? = nil, haConf: String? = nil, storageRoot: String? = nil,
        ovfStores: [String] = [], environment: [String: String] = [:], volumeSettings: Volume.Settings = Volume.Settings()
    ) {
        self.volume = volume
        self.hostedEngineConf = hostedEngineConf
        self.haConf = haConf
        self.storageRoot = storageRoot
        self.ovfStores = ovfStores
        self.environment = environment
        self.givenSettings = volumeSettings
    }

    /// Opens the OVF_STORE volume at `path` with this locator's settings; a writer takes the
    /// volume's own lease in this host's lockspace, as the configuration volume's writers do.
    public func open(_ path: String, forWriting: Bool) throws -> Volume {
        try Volume(path: path, forWriting: forWriting, settings: ovfStoreSettings(path))
    }

    /// How an OVF_STORE volume at `path` is opened: its own lease.
    public func ovfStoreSettings(_ path: String) -> Volume.Settings {
        var settings = volumeSettings
        settings.leaseResource = LeaseSettings.ovfStoreResourceName(volume: path)
        return settings
    }

    /// Finds the configuration volume and opens it, with where this host's sanlock lease is
    /// (found from hosted-engine.conf only when a writer, or a reader settling a journal, locks it).
    public func openConfigurationVolume(forWriting: Bool) throws -> Volume {
        let path = try locate()
        return try Volume(path: path, forWriting: forWriting, settings: volumeSettings)
    }

    /// The environment variables the locator reads.
    public static let environmentNames = [
        "HE_CONF_VOLUME", "HE_CONF", "HE_HA_CONF", "HE_STORAGE_ROOT", "HE_MOUNT_ROOT", "HE_OVF_STORE", "PATH",
    ]

    /// Where this host's `file` is, and what named it: its option, else its environment
    /// variable, else the default.
    public func path(of file: HostFile) -> (path: String, source: String) {
        let option = file == .hostedEngineConf ? hostedEngineConf : haConf
        return nonEmpty(option).map { ($0, file.option) } ?? nonEmpty(environment[file.environmentName]).map { ($0, file.environmentName) }
            ?? (file.defaultPath, "the default")
    }

    /// This host's `file`, to read and change.
    public func localConfigFile(_ file: HostFile) -> LocalConfigFile {
        let (path, source) = self.path(of: file)
        return LocalConfigFile(
            path: path, backupKind: file.backupKind, option: source == "the default" ? file.option : source, logger: volumeSettings.logger)
    }

    /// The volume's path. Throws `volumeNotFound` with one line saying what was looked for and where.
    public func locate() throws -> String {
        let (path, how) = try located()
        volumeSettings.logger.info("Configuration volume: \(path) (\(how))")
        return path
    }

    /// The volume's path, and how it was found (`from --volume`, ...).
    public func located() throws -> (path: String, how: String) {
        if let volume = nonEmpty(volume) {
            try requireExists(volume, from: "--volume")
            return (volume, "from --volume")
        }
        if let volume = nonEmpty(environment["HE_CONF_VOLUME"]) {
            try requireExists(volume, from: "HE_CONF_VOLUME")
            return (volume, "from HE_CONF_VOLUME")
        }
        let (confPath, conf): (String, AgentConfReading)
        do {
            (confPath, conf) = try localHostedEngineConf()
        } catch let .unreadable(path, source, why) {
            throw HostedEngineError.volumeNotFound(.noConfAndNoVolume(conf: path, source: source, why: why))
        }
        let found = try storedVolume(imageKey: "conf_image_UUID", volumeKey: "conf_volume_UUID", confPath: confPath, conf: conf)
            .get()
        return (found.path, "sdUUID/conf_image_UUID/conf_volume_UUID of \(confPath), \(found.how)")
    }

    /// `--storage-root`, else `HE_STORAGE_ROOT`, else the default.
    public var resolvedStorageRoot: String {
        nonEmpty(storageRoot) ?? nonEmpty(environment["HE_STORAGE_ROOT"]) ?? Self.defaultStorageRoot
    }

    enum ConfReadError: Error {
        case unreadable(path: String, source: String, why: String)
    }

    /// This host's hosted-engine.conf, read as the HA agent reads it: `--he-conf`, else
    /// `HE_CONF`, else the default.
    func localHostedEngineConf() throws(ConfReadError) -> (String, AgentConfReading) {
        let (path, source) = self.path(of: .hostedEngineConf)
        let bytes: [UInt8]
        do {
            bytes = try LocalFile.read(path)
        } catch {
            switch error {
            case let .system(error): throw .unreadable(path: path, source: source, why: error.reason)
            case .tooLarge: throw .unreadable(path: path, source: source, why: "it is larger than 1 MiB")
            case .notARegularFile: throw .unreadable(path: path, source: source, why: "it is not a regular file")
            }
        }
        guard let file = try? AgentConfReading(bytes: bytes) else {
            throw .unreadable(path: path, source: source, why: "it is not UTF-8 text")
        }
        return (path, file)
    }

    /// hosted-engine.conf for what only it says (vmid, sdUUID): this host's, or else the copy in
    /// the configuration archive, when the volume is named by --volume or HE_CONF_VOLUME.
    public func hostedEngineConfFile() throws -> (path: String, file: AgentConfReading) {
        do {
            return try localHostedEngineConf()
        } catch let .unreadable(path, source, why) {
            if nonEmpty(volume) != nil || nonEmpty(environment["HE_CONF_VOLUME"]) != nil {
                let volumePath = try locate()
                let archive = try ConfigArchive.load(from: try open(volumePath, forWriting: false))
                if let bytes = archive.contents(of: "hosted-engine.conf") {
                    do {
                        return ("hosted-engine.conf in \(volumePath)", try AgentConfReading(bytes: bytes))
                    } catch {
                        throw HostedEngineError.agentCannotRead(error, file: "hosted-engine.conf")
                    }
                }
            }
            throw HostedEngineError.volumeNotFound(.confUnreadable(conf: path, source: source, why: why))
        }
    }

    private func requireExists(_ path: String, from source: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 || errno == EACCES else {
            throw HostedEngineError.volumeNotFound(.noVolumeAt(path, source: source, errno: errno))
        }
    }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
