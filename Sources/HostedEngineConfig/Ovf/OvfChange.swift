/// A `vm` key set in an OVF: every place that states it, rewritten together.
public struct OvfChange: Sendable {
    public let key: VmKey
    public let edits: [OvfEdit]
    /// The new OVF: the old one with only the edited values' text replaced.
    public let bytes: [UInt8]
}
