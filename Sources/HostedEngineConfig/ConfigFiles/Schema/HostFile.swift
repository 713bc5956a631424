/// A configuration file of this host that a type edits, and how the command line names it.
public enum HostFile: String, Sendable, Equatable, CaseIterable {
    /// `/etc/ovirt-hosted-engine/hosted-engine.conf`, which the HA agent and broker read at start.
    case hostedEngineConf
    /// `/var/lib/ovirt-hosted-engine-ha/ha.conf`, which the agent reads in every loop.
    case haConf

    public var fileName: String {
        switch self {
        case .hostedEngineConf: return "hosted-engine.conf"
        case .haConf: return "ha.conf"
        }
    }

    /// The option that names it.
    public var option: String {
        switch self {
        case .hostedEngineConf: return "--he-conf"
        case .haConf: return "--ha-conf"
        }
    }

    public var environmentName: String {
        switch self {
        case .hostedEngineConf: return "HE_CONF"
        case .haConf: return "HE_HA_CONF"
        }
    }

    public var defaultPath: String {
        switch self {
        case .hostedEngineConf: return "/etc/ovirt-hosted-engine/hosted-engine.conf"
        case .haConf: return "/var/lib/ovirt-hosted-engine-ha/ha.conf"
        }
    }

    /// The kind its backups are saved under.
    public var backupKind: String {
        switch self {
        case .hostedEngineConf: return "he-local"
        case .haConf: return "ha-conf"
        }
    }

    /// The file whose backups are of `kind`.
    public init?(backupKind kind: String) {
        guard let file = Self.allCases.first(where: { $0.backupKind == kind }) else { return nil }
        self = file
    }
}
