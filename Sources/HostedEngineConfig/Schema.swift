/// The editable configuration, as data: which types exist, which archive member each lives in,
/// and which keys of it may be changed under which rule. A new type is one more entry here.
public struct Schema: Sendable {
    public let types: [ConfigType]

    public init(types: [ConfigType]) {
        self.types = types
    }

    /// What this tool edits today: broker.conf, the first stage of the design note.
    public static let standard = Schema(types: [.broker])

    public func type(named name: String) -> ConfigType? {
        types.first { $0.name == name }
    }

    /// One line per type, as the invalid-key message lists them:
    /// `broker : ['smtp-port', 'destination-emails', ...]`.
    public var availableKeysListing: [String] {
        types.map { type in
            "\(type.name) : [" + type.keys.map { "'\($0.name)'" }.joined(separator: ", ") + "]"
        }
    }
}

/// One editable file of the configuration archive.
public struct ConfigType: Sendable {
    /// The name used with `--type`.
    public let name: String
    /// The archive member that holds it.
    public let member: String
    /// Editable keys, in the order the design note lists them.
    public let keys: [ConfigKey]

    public init(name: String, member: String, keys: [ConfigKey]) {
        self.name = name
        self.member = member
        self.keys = keys
    }

    /// The key that `userKey` names, bare (`smtp-server`) or qualified (`email.smtp-server`).
    public func key(matching userKey: String) -> ConfigKey? {
        keys.first { $0.name == userKey || $0.qualifiedName == userKey }
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
            ConfigKey(name: "state_transition", section: "notify", rule: .stateList, brokerDefault: nil),
        ])
}

/// One editable key.
public struct ConfigKey: Sendable, Equatable {
    public let name: String
    /// The INI section it belongs in; nil in a flat `key=value` file.
    public let section: String?
    public let rule: ValueRule
    /// Secret values are never printed unless asked for.
    public let isSecret: Bool
    /// What the consumer uses when the key is absent, for messages.
    public let brokerDefault: String?

    public init(name: String, section: String?, rule: ValueRule, isSecret: Bool = false, brokerDefault: String? = nil) {
        self.name = name
        self.section = section
        self.rule = rule
        self.isSecret = isSecret
        self.brokerDefault = brokerDefault
    }

    /// `section.name`, or the bare name when there is no section.
    public var qualifiedName: String {
        section.map { "\($0).\(name)" } ?? name
    }
}
