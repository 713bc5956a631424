/// What an administrator probably meant by a key or type that does not exist.
extension SharedConfig {
    /// `KEY=VALUE` in one argument, a key of another type than the one given, or the nearest key.
    func keyHint(_ userKey: String, type given: ConfigType?) -> String? {
        if let equals = userKey.firstIndex(of: "="), equals != userKey.startIndex {
            let key = String(userKey[..<equals])
            let value = String(userKey[userKey.index(after: equals)...])
            if schema.types.contains(where: { $0.key(matching: key) != nil }) {
                return
                    "\(key)=\(value) is a key and its value in one argument; give them as two: hosted-engine --set-shared-config \(key) \(value)"
            }
        }
        if let given {
            let holders = schema.types.filter { $0.name != given.name && $0.key(matching: userKey) != nil }.map(\.name)
            if !holders.isEmpty {
                return
                    "\(userKey) is a key of \(HostedEngineError.list(holders.map { "type \($0)" }, conjunction: "and")), not \(given.name): use --type \(holders[0])."
            }
        }
        let types = given.map { [$0] } ?? schema.types
        let names = types.flatMap { type in type.keys.flatMap { [$0.name, $0.qualifiedName] } }
        return NearestWord.suggestion(for: userKey, in: Array(Set(names)).sorted()).map { "Did you mean \($0)?" }
    }

    func typeHint(_ typeName: String) -> String? {
        NearestWord.suggestion(for: typeName, in: schema.types.map(\.name)).map { "Did you mean \($0)?" }
    }
}
