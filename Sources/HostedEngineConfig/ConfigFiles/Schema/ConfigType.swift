/// One editable file: a member of the configuration archive, the engine VM's OVF, or a file of
/// this host.
public struct ConfigType: Sendable {
    public enum Storage: Sendable, Equatable {
        /// A key=value file inside the configuration archive.
        case configArchive(member: String)
        /// `<vmid>.ovf` on the OVF_STORE volumes.
        case ovfStore
        /// A key=value file of this host.
        case localFile(HostFile)
    }

    /// The name used with `--type`.
    public let name: String
    public let storage: Storage
    /// Editable keys, in the order the design note lists them (`NAME` stands for a NIC's name).
    public let keys: [ConfigKey]
    /// For a type whose keys are patterns (`nic.NAME.mac`): whether a key the user names is one.
    let acceptsKey: (@Sendable (String) -> Bool)?
    /// When a change takes effect, said in a line after a set; nil when nothing needs saying.
    public let takesEffect: String?

    public init(name: String, member: String, keys: [ConfigKey], takesEffect: String? = nil) {
        self.init(name: name, storage: .configArchive(member: member), keys: keys, takesEffect: takesEffect)
    }

    public init(
        name: String, storage: Storage, keys: [ConfigKey], acceptsKey: (@Sendable (String) -> Bool)? = nil, takesEffect: String? = nil
    ) {
        self.name = name
        self.storage = storage
        self.keys = keys
        self.acceptsKey = acceptsKey
        self.takesEffect = takesEffect
    }

    /// The archive member that holds it, for a configuration-archive type.
    public var member: String? {
        if case let .configArchive(member) = storage { return member }
        return nil
    }

    /// This host's file that holds it, for a local type.
    public var hostFile: HostFile? {
        if case let .localFile(file) = storage { return file }
        return nil
    }

    /// The name of its file, for messages and readers.
    public var fileName: String {
        member ?? hostFile?.fileName ?? name
    }

    /// Where its file is, in words: `hosted-engine.conf on the shared storage`, `this host's ha.conf`.
    public var fileDescription: String {
        switch storage {
        case let .configArchive(member): return "\(member) on the shared storage"
        case .ovfStore: return "the engine VM's OVF on the OVF_STORE"
        case let .localFile(file): return "this host's \(file.fileName)"
        }
    }

    /// Whether the `hosted-engine` shell wrapper sources its file (`source hosted-engine.conf`),
    /// so that a value must read the same to a shell as to the agent.
    public var isSourcedByShell: Bool {
        fileName == "hosted-engine.conf"
    }

    /// The key that `userKey` names, bare (`smtp-server`) or qualified (`email.smtp-server`);
    /// for a type of patterns, the key itself when it is one.
    public func key(matching userKey: String) -> ConfigKey? {
        if let acceptsKey {
            return acceptsKey(userKey) ? ConfigKey(name: userKey, section: nil, rule: .text) : nil
        }
        return keys.first { $0.name == userKey || $0.qualifiedName == userKey }
    }

    /// The broker's notification settings, in broker.conf. The broker re-reads the file from
    /// the shared storage for every notification.
    public static let broker = ConfigType(
        name: "broker",
        member: "broker.conf",
        keys: [
            ConfigKey(name: "smtp-port", section: "email", rule: .port, brokerDefault: "25"),
            ConfigKey(name: "destination-emails", section: "email", rule: .emailList, brokerDefault: "root@localhost"),
            ConfigKey(name: "smtp-server", section: "email", rule: .hostOrAddress, brokerDefault: "localhost"),
            ConfigKey(name: "source-email", section: "email", rule: .emailAddress, brokerDefault: "root@localhost"),
            ConfigKey(name: "state_transition", section: "notify", rule: .pythonRegex, brokerDefault: nil),
        ],
        // broker/notifications.py `notify`: "The configuration is refreshed with every call".
        takesEffect:
            "The HA broker on every host reads broker.conf from the shared storage for each notification it sends: the change takes effect with the next one, without a restart."
    )
}
