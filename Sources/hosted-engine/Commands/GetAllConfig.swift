import ArgumentParser
import HostedEngineConfig

struct GetAllConfig: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --get-all-config",
        abstract: "Print every editable key that the shared configuration sets, per type.",
        discussion: "A type that cannot be read (no OVF_STORE, say) is reported on stderr, exit 1, after the others are printed.")

    @Option(name: .customLong("type"), help: "Only this configuration type (broker, vm, he_shared, he_local, ha).") var type: String?
    @Flag(name: .customLong("json"), help: "Print JSON: {\"TYPE\": {\"KEY\": \"VALUE\", ...}, ...}.") var json = false
    @OptionGroup var volume: VolumeOptions

    func run(in context: ToolContext) throws {
        let (all, failures) = try SharedConfig().getEach(type: type, locator: volume.locator(context))
        if json {
            context.output.print(
                JSONText.object(
                    all.map { group in
                        (
                            group.type.name,
                            JSONText.object(group.values.map { ($0.key.name, .string($0.key.isSecret ? "(secret)" : $0.value)) })
                        )
                    }))
        } else {
            for group in all {
                context.output.print("type: \(group.type.name)")
                for (key, value) in group.values {
                    // A secret is shown only when asked for by name (--get-shared-config KEY).
                    context.output.print("\(key.name): \(key.isSecret ? "(secret)" : DisplayText.printable(value))")
                }
            }
        }
        guard let last = failures.last else { return }
        for failure in failures.dropLast() { context.output.error(failure.description) }
        throw last
    }
}
