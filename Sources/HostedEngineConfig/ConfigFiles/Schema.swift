/// The editable configuration, as data: which types exist, which archive member each lives in,
/// and which keys of it may be changed under which rule. A new type is one more entry here.
public struct Schema: Sendable {
    /// The editable files, with their editable keys.
    public let types: [ConfigType]
    /// What is known of every member of the archive: whether it is a key=value file to parse
    /// and check, and which of its keys hold secrets.
    public let members: [MemberSchema]

    public init(types: [ConfigType], members: [MemberSchema] = Schema.archiveMembers) {
        self.types = types
        self.members = members
    }

    /// What this tool edits: broker.conf (the design note's first stage) and the engine VM's
    /// OVF (its second).
    public static let standard = Schema(types: [.broker, .vm])

    /// The five members of the configuration archive.
    public static let archiveMembers: [MemberSchema] = [
        MemberSchema(name: "version", isParsed: false),
        MemberSchema(
            name: "fhanswers.conf", isParsed: true,
            secretKeys: ["OVEHOSTED_STORAGE/iSCSIPortalPassword", "OVEHOSTED_ENGINE/adminPassword", "OVEHOSTED_VM/cloudinitRootPwd"]),
        MemberSchema(name: "hosted-engine.conf", isParsed: true, secretKeys: ["password"]),
        MemberSchema(name: "broker.conf", isParsed: true),
        // vm.conf repeats `devices=`, one line per device.
        MemberSchema(name: "vm.conf", isParsed: true, allowsRepeatedKeys: true),
    ]

    public func member(named name: String) -> MemberSchema? {
        members.first { $0.name == name }
    }

    /// The type whose file is archive member `member`, if that member is editable.
    public func type(forMember member: String) -> ConfigType? {
        types.first { $0.member == member }
    }

    /// The editable members of the configuration archive.
    public var editableMembers: [String] { types.compactMap(\.member) }

    /// Whether `key` of `member` holds a secret.
    public func isSecret(member: String, key: String) -> Bool {
        let lowered = key.lowercased()
        if let type = type(forMember: member), type.keys.contains(where: { $0.isSecret && $0.name.lowercased() == lowered }) {
            return true
        }
        return self.member(named: member)?.secretKeys.contains { $0.lowercased() == lowered } ?? false
    }

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

/// What is known of one member of the archive.
public struct MemberSchema: Sendable {
    public let name: String
    /// A key=value file (INI or flat) that is parsed and checked; otherwise opaque text.
    public let isParsed: Bool
    /// Keys whose values are never printed unless asked for.
    public let secretKeys: [String]
    /// Whether a key may appear on several lines (and the reader collects them all).
    public let allowsRepeatedKeys: Bool

    public init(name: String, isParsed: Bool, secretKeys: [String] = [], allowsRepeatedKeys: Bool = false) {
        self.name = name
        self.isParsed = isParsed
        self.secretKeys = secretKeys
        self.allowsRepeatedKeys = allowsRepeatedKeys
    }
}

/// One editable file: a member of the configuration archive, or the engine VM's OVF.
public struct ConfigType: Sendable {
    public enum Storage: Sendable, Equatable {
        /// A key=value file inside the configuration archive.
        case configArchive(member: String)
        /// `<vmid>.ovf` on the OVF_STORE volumes.
        case ovfStore
    }

    /// The name used with `--type`.
    public let name: String
    public let storage: Storage
    /// Editable keys, in the order the design note lists them (`NAME` stands for a NIC's name).
    public let keys: [ConfigKey]

    public init(name: String, member: String, keys: [ConfigKey]) {
        self.init(name: name, storage: .configArchive(member: member), keys: keys)
    }

    public init(name: String, storage: Storage, keys: [ConfigKey]) {
        self.name = name
        self.storage = storage
        self.keys = keys
    }

    /// The archive member that holds it, for a configuration-archive type.
    public var member: String? {
        if case let .configArchive(member) = storage { return member }
        return nil
    }

    /// The key that `userKey` names, bare (`smtp-server`) or qualified (`email.smtp-server`);
    /// for the OVF, a fixed key or `nic.<name>.<property>`.
    public func key(matching userKey: String) -> ConfigKey? {
        if storage == .ovfStore {
            return VmKey(userKey).map { _ in ConfigKey(name: userKey, section: nil, rule: .text) }
        }
        return keys.first { $0.name == userKey || $0.qualifiedName == userKey }
    }

    /// The engine VM's CPU, memory and NICs, in its OVF on the OVF_STORE (values are checked
    /// by OvfDocument, against the OVF itself).
    public static let vm = ConfigType(
        name: "vm", storage: .ovfStore,
        keys: (VmKey.fixedNames + VmKey.nicPatterns).map { ConfigKey(name: $0, section: nil, rule: .text) })

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
