import ArgumentParser
import HostedEngineConfig

struct SetSharedConfig: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --set-shared-config",
        abstract: "Change an editable key of the shared configuration on the configuration volume.",
        discussion: """
            Edits the key's line in place (comments and spacing stay), writes the archive with a \
            compare-and-swap, and prints nothing on success. The broker reads broker.conf from the \
            shared storage for every notification, so no restart is needed.
            """)

    @Argument(help: "The key.") var key: String
    // Optional so that an unknown key is reported before a missing value, as the design note shows.
    @Argument(help: "The new value.") var value: String?
    @Option(name: .customLong("type"), help: "The configuration type that holds the key (broker).") var type: String?
    @OptionGroup var volume: VolumeOptions
    @OptionGroup var write: WriteOptions

    func run() throws {
        if case let .written(backup) = try SharedConfig().set(key: key, value: value, type: type, locator: volume.locator, options: write.options) {
            reportBackup(backup)
        }
    }
}
