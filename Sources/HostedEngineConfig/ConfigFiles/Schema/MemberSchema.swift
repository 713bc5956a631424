/// What is known of one member of the archive.
public struct MemberSchema: Sendable {
    public let name: String
    /// A key=value file (INI or flat) that is parsed and checked; otherwise opaque text.
    public let isParsed: Bool
    /// Keys whose values are never printed unless asked for.
    public let secretKeys: [String]
    /// Whether a key may appear on several lines (and the reader collects them all).
    public let allowsRepeatedKeys: Bool
    public let reader: MemberReader

    public init(
        name: String, isParsed: Bool, secretKeys: [String] = [], allowsRepeatedKeys: Bool = false, reader: MemberReader = .keyValue
    ) {
        self.name = name
        self.isParsed = isParsed
        self.secretKeys = secretKeys
        self.allowsRepeatedKeys = allowsRepeatedKeys
        self.reader = reader
    }
}
