/// A kind of place keys live in, read and set there: the configuration archive on the shared
/// volume (`ArchiveStore`), this host's files (`HostFileStore`), the OVF_STORE copies
/// (`VmStore`). `SharedConfig` resolves a key to its type and hands the work to the type's store.
protocol ConfigStore {
    /// The key's value, as its file's reader reads it; `userKey` is how the user named it.
    func value(of resolution: SharedConfig.Resolution, userKey: String) throws -> String
    /// Every key of each type that the place sets.
    func values(of types: [ConfigType]) throws -> [SharedConfig.TypeValues]
    /// Sets the key (its value checked already against the key's rule, where the store wants that).
    func set(_ resolution: SharedConfig.Resolution, to value: String, userKey: String, options: SharedConfig.WriteOptions) throws
        -> SharedConfig.SetOutcome
}
