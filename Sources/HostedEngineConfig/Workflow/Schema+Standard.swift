extension Schema {
    /// What this tool edits: broker.conf (the design note's first stage) and the engine VM's
    /// OVF (its second).
    public static let standard = Schema(types: [.broker, .vm])
}
