extension Schema {
    /// What this tool edits: broker.conf (the design note's first stage), the engine VM's OVF
    /// (its second), and the shared hosted-engine.conf; listed in this order everywhere.
    public static let standard = Schema(types: [.broker, .vm, .heShared])
}
