/// The engine VM's keys (the vm type), in its OVF on every OVF_STORE copy.
struct VmStore: ConfigStore {
    let locator: VolumeLocator

    func value(of resolution: SharedConfig.Resolution, userKey: String) throws -> String {
        try VmConfig().get(key: try Self.key(userKey, resolution), locator: locator)
    }

    func values(of types: [ConfigType]) throws -> [SharedConfig.TypeValues] {
        let found = try VmConfig().getAll(locator: locator)
        return types.map { type in
            SharedConfig.TypeValues(
                type: type, values: found.map { (key: ConfigKey(name: $0.key.description, section: nil, rule: .text), value: $0.value) })
        }
    }

    /// VmConfig checks the value against the OVF itself.
    func set(_ resolution: SharedConfig.Resolution, to value: String, userKey: String, options: SharedConfig.WriteOptions) throws
        -> SharedConfig.SetOutcome
    {
        try VmConfig().set(key: try Self.key(userKey, resolution), value: value, locator: locator, options: options)
    }

    private static func key(_ userKey: String, _ resolution: SharedConfig.Resolution) throws -> VmKey {
        guard let key = VmKey(userKey) ?? VmKey(resolution.key.name) else {
            throw HostedEngineError.invalidKey(userKey, available: [])
        }
        return key
    }
}
