extension Schema {
    /// A new version of a whole member (a push, an upload), checked as its reader will read it
    /// before anything is written: the editable keys `changes` lists as the administrator's file
    /// `intended` has them, every other key as before. Returns lines to say (keys that follow a
    /// changed one in broker.conf); throws what is wrong.
    public func verify(member: String, old: [UInt8]?, new: [UInt8], intended: [UInt8], changes: ConfigChanges) throws -> [String] {
        switch reader(of: member) {
        case .haBroker:
            return try BrokerReading.verify(member: member, old: old, new: new, intended: intended, changes: changes, schema: self)
        case .haAgent:
            let reading = try? AgentConfReading(bytes: intended)
            let changed = changes.keyChanges.compactMap { change -> (key: String, value: String)? in
                guard change.member == member, change.new != nil, change.editable?.rule.isEditable == true,
                    let value = reading?.value(change.key)
                else {
                    return nil
                }
                return (change.key, value)
            }
            try AgentConfReading.verify(old: old, new: new, changed: changed, file: member, isSecret: { isSecret(member: member, key: $0) })
            return []
        case .keyValue:
            return []
        }
    }
}
