import ArgumentParser
import HostedEngineConfig

struct GetSharedConfig: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --get-shared-config",
        abstract: "Print the value of an editable key of the shared configuration.",
        discussion: "Prints `KEY : VALUE, type : TYPE`. KEY may be bare (smtp-server) or qualified (email.smtp-server).")

    @Argument(help: "The key.") var key: String
    @Option(name: .customLong("type"), help: "The configuration type that holds the key (broker, vm, he_shared, he_local, ha).") var type:
        String?
    @Flag(name: .customLong("json"), help: "Print JSON.") var json = false
    @OptionGroup var volume: VolumeOptions

    func run() throws {
        try Self.perform(key: key, type: type, json: json, locator: volume.locator)
    }

    static func perform(key: String, type: String?, json: Bool, locator: VolumeLocator) throws {
        let result = try SharedConfig().get(key: key, type: type, locator: locator)
        if json {
            print(JSONText.object([("key", .string(key)), ("value", .string(result.value)), ("type", .string(result.type))]))
        } else {
            // A value the broker reads over several lines stays on one (`\n`); --json has it exact.
            print("\(key) : \(DisplayText.printable(result.value)), type : \(result.type)")
        }
    }
}
