import ArgumentParser
import HostedEngineConfig

struct SetSharedConfig: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --set-shared-config",
        abstract: "Change an editable key of the shared configuration on the configuration volume.",
        discussion: """
            Edits the key's line in place (comments and spacing stay), writes the archive with a \
            compare-and-swap, and prints nothing on stdout on success. The broker reads broker.conf \
            from the shared storage for every notification, so no restart is needed. A vm key \
            rewrites the engine VM's OVF on every OVF_STORE copy: the change is shown and confirmed \
            on a terminal; without one, --force is needed. It takes effect when the HA agent next \
            starts the engine VM.
            """)

    @Argument(help: "The key.") var key: String
    // Optional so that an unknown key is reported before a missing value, as the design note shows.
    @Argument(help: "The new value.") var value: String?
    @Option(name: .customLong("type"), help: "The configuration type that holds the key (broker, vm, he_shared).") var type: String?
    @OptionGroup var volume: VolumeOptions
    @Flag(name: .customLong("force"), help: "For a vm key: write without asking, and accept a network the OVF does not list.")
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
