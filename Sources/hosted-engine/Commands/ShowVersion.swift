import ArgumentParser
import HostedEngineConfig

struct ShowVersion: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --show-version",
        abstract: "Show one version of the shared history: who wrote it, when, and every key as the broker and the agent read it.",
        discussion: """
            With --diff, what changed from it to ID2 (or to what the volume holds now), key by key, \
            secrets masked.
            """)

    @Argument(help: ArgumentHelp("A version, as --history shows it (v17).", valueName: "id")) var id: String
    @Option(
        name: .customLong("diff"),
        help: ArgumentHelp("Compare with another version, or with now when no ID follows.", valueName: "id2"))
    var diff: String?
    @Flag(name: .customLong("json"), help: "Print JSON.") var json = false
    @OptionGroup var volume: VolumeOptions

    /// `--diff` alone compares with now: the parser takes it as `--diff now`.
    static let now = "now"

    static func normalized(_ arguments: [String]) -> [String] {
        var arguments = arguments
        if let index = arguments.firstIndex(of: "--diff"), index + 1 == arguments.count || arguments[index + 1].hasPrefix("-") {
            arguments.insert(now, at: index + 1)
        }
        return arguments
    }

    func run(in context: ToolContext) throws {
        let browser = HistoryBrowser()
        let locator = volume.locator(context)
        let (entry, archive) = try browser.version(id, locator: locator)
        if let diff {
            let other: ConfigArchive
            let label: String
            if diff == Self.now {
                other = try ConfigArchive.load(from: try locator.openConfigurationVolume(forWriting: false))
                label = "now"
            } else {
                let found = try browser.version(diff, locator: locator)
                other = found.archive
                label = found.entry.id
            }
            let lines = browser.changes(from: archive, to: other).summaryLines
            if json {
                context.output.print(
                    JSONText.object([("from", .string(entry.id)), ("to", .string(label)), ("changes", .array(lines.map { .string($0) }))]))
            } else if lines.isEmpty {
                context.output.print("No difference between \(entry.id) and \(label).")
            } else {
                context.output.print((["From \(entry.id) to \(label):"] + lines.map { "  " + $0 }).joined(separator: "\n"))
            }
            return
        }
        let values = try browser.values(in: archive)
        if json {
            guard case let .object(fields) = entry.json(current: false) else { return }
            let types = JSONText.object(
                values.map { group in
                    (group.type.name, JSONText.object(group.values.map { ($0.key.name, .string($0.key.isSecret ? "(secret)" : $0.value)) }))
                })
            context.output.print(JSONText.object(fields.filter { $0.0 != "current" } + [("types", types)]))
            return
        }
        context.output.print("version: \(entry.id)")
        context.output.print("time: \(TimeText.readable(entry.time))")
        context.output.print("host: \(entry.hostText)")
        context.output.print("user: \(entry.user.isEmpty ? "(unknown)" : DisplayText.printable(entry.user))")
        context.output.print("command: \(DisplayText.printable(entry.command))")
        context.output.print("keys changed: \(entry.keysText)")
        context.output.print("archive: \(entry.checksum) (\(entry.length) bytes)")
        for group in values {
            context.output.print("type: \(group.type.name)")
            for (key, value) in group.values {
                context.output.print("\(key.name): \(key.isSecret ? "(secret)" : DisplayText.printable(value))")
            }
        }
    }
}
