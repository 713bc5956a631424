extension Schema {
    /// What this tool edits: broker.conf (the design note's first stage), the engine VM's OVF
    /// (its second), the shared hosted-engine.conf, this host's hosted-engine.conf and its
    /// ha.conf; listed in this order everywhere.
    public static let standard = Schema(types: [.broker, .vm, .heShared, .heLocal, .ha])
}
