import ArgumentParser
import HostedEngineConfig

struct SetSharedConfig: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --set-shared-config",
        abstract: "Change an editable key of the shared configuration, or of this host's hosted-engine.conf or ha.conf.",
        discussion: """
            Edits the key's line in place (comments and spacing stay) and prints nothing on stdout \
            on success; a line on stderr says when the change takes effect. broker and he_shared \
            are written to the configuration volume with a compare-and-swap; he_local and ha to \
            this host's file, beside it and renamed over it, owner and mode kept, a backup saved \
            first. The broker reads broker.conf for every notification; restart ovirt-ha-broker and \
            ovirt-ha-agent after an he_local change; the agent reads ha.conf in every loop. A vm key \
            rewrites the engine VM's OVF on every OVF_STORE copy, and a storage connection key of \
            hosted-engine.conf changes how the agent connects its storage: the change is shown and \
            confirmed on a terminal; without one, --force is needed. Identity keys (sdUUID, host_id, \
            ...) are refused; --force sets one after the same confirmation.
            """)

    @Argument(help: "The key.") var key: String
    // Optional so that an unknown key is reported before a missing value, as the design note shows.
    @Argument(help: "The new value.") var value: String?
    @Option(name: .customLong("type"), help: "The configuration type that holds the key (broker, vm, he_shared, he_local, ha).") var type:
        String?
    @OptionGroup var volume: VolumeOptions
    @Flag(
        name: .customLong("force"),
        help:
            "Write a vm or storage connection key without asking (a vm key may then name a network the OVF does not list); set an identity key."
    )
    var force = false
    @OptionGroup var write: WriteOptions

    func run() throws {
        try Self.perform(key: key, value: value, type: type, locator: volume.locator, options: write.options(force: force))
    }

    static func perform(key: String, value: String?, type: String?, locator: VolumeLocator, options: SharedConfig.WriteOptions) throws {
        if case let .written(backups) = try SharedConfig().set(key: key, value: value, type: type, locator: locator, options: options) {
            Output.backups(backups)
        }
    }
}
