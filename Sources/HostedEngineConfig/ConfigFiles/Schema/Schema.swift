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

    /// The five members of the configuration archive.
    public static let archiveMembers: [MemberSchema] = [
        MemberSchema(name: "version", isParsed: false),
        MemberSchema(
            name: "fhanswers.conf", isParsed: true,
            secretKeys: ["OVEHOSTED_STORAGE/iSCSIPortalPassword", "OVEHOSTED_ENGINE/adminPassword", "OVEHOSTED_VM/cloudinitRootPwd"]),
        MemberSchema(name: "hosted-engine.conf", isParsed: true, secretKeys: ["password"], reader: .haAgent),
        MemberSchema(name: "broker.conf", isParsed: true, reader: .haBroker),
        // vm.conf repeats `devices=`, one line per device.
        MemberSchema(name: "vm.conf", isParsed: true, allowsRepeatedKeys: true),
    ]

    public func member(named name: String) -> MemberSchema? {
        members.first { $0.name == name }
    }

    /// How `member`'s reader takes it; this host's files (hosted-engine.conf, ha.conf) the HA
    /// agent reads as it reads hosted-engine.conf.
    public func reader(of member: String) -> MemberReader {
        if let known = self.member(named: member) { return known.reader }
        return types.contains { $0.hostFile?.fileName == member } ? .haAgent : .keyValue
    }

    /// A schema that sees this host's file of `type` as the one member of an archive, so that
    /// the checks of a checkout apply to it.
    public static func hostFile(of type: ConfigType) -> Schema {
        let file = type.fileName
        return Schema(
            types: [ConfigType(name: type.name, member: file, keys: type.keys, takesEffect: type.takesEffect)],
            members: [MemberSchema(name: file, isParsed: true, secretKeys: type.keys.filter(\.isSecret).map(\.name), reader: .haAgent)])
    }

    /// Member `name` parsed for editing, in the layout its reader gives it.
    public func file(member name: String, bytes: [UInt8]) throws -> ConfigFile {
        let layout: ConfigFile.Layout? =
            switch reader(of: name) {
            case .haBroker: .ini
            case .haAgent: .flat
            case .keyValue: nil
            }
        return try ConfigFile(name: name, bytes: bytes, layout: layout)
    }

    /// The type whose file is archive member `member`, if that member is editable.
    public func type(forMember member: String) -> ConfigType? {
        types.first { $0.member == member }
    }

    /// The editable members of the configuration archive.
    public var editableMembers: [String] { types.compactMap(\.member) }

    /// The keys of `type` that may be set, for messages.
    public static func editableKeyNames(of type: ConfigType) -> [String] {
        type.keys.filter(\.rule.isEditable).map(\.name)
    }

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
        types.map(Self.listing)
    }

    /// `broker : ['smtp-port', ...]`: one type's line of the invalid-key message.
    public static func listing(of type: ConfigType) -> String {
        "\(type.name) : [" + type.keys.map { "'\($0.name)'" }.joined(separator: ", ") + "]"
    }
}
