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

    func run(in context: ToolContext) throws {
        try Self.perform(key: key, type: type, json: json, locator: volume.locator(context), context: context)
    }

    static func perform(key: String, type: String?, json: Bool, locator: VolumeLocator, context: ToolContext) throws {
        let result = try SharedConfig().get(key: key, type: type, locator: locator)
        if json {
            context.output.print(
                JSONText.object([("key", .string(key)), ("value", .string(result.value)), ("type", .string(result.type))]))
        } else {
            // A value the broker reads over several lines stays on one (`\n`); --json has it exact.
            context.output.print("\(key) : \(DisplayText.printable(result.value)), type : \(result.type)")
        }
        // A key its file sets that this tool does not edit (broker.conf's smtp-timeout): say so.
        if (try? SharedConfig().resolve(key: key, type: result.type)) == nil {
            context.output.notes(["\(key) is read only here: it is not one of the \(result.type) keys this tool sets."])
        }
    }
}
