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
    /// For a key whose mistake breaks the host: what a change of it does, said when it is
    /// confirmed (on a terminal, else `--force`).
    public let confirmation: String?

    public init(
        name: String, section: String?, rule: ValueRule, isSecret: Bool = false, brokerDefault: String? = nil, confirmation: String? = nil
    ) {
        self.name = name
        self.section = section
        self.rule = rule
        self.isSecret = isSecret
        self.brokerDefault = brokerDefault
        self.confirmation = confirmation
    }

    /// `section.name`, or the bare name when there is no section.
    public var qualifiedName: String {
        section.map { "\($0).\(name)" } ?? name
    }
}
