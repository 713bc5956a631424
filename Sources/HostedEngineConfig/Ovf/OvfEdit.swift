/// One value an OVF change rewrites.
public struct OvfEdit: Sendable, Equatable {
    /// Where, for people: `OVF rasd:num_of_sockets`, `EngineXml <vcpu current>`.
    public let place: String
    public let old: String
    public let new: String
    /// Where the old value stood in the old OVF.
    public let range: Range<Int>
}
