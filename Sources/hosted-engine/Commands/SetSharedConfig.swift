import ArgumentParser
import HostedEngineConfig

struct SetSharedConfig: WritingCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --set-shared-config",
        abstract: "Change an editable key of the shared configuration, or of this host's hosted-engine.conf or ha.conf.",
        usage: """
            hosted-engine --set-shared-config [<options>] <key> [<value>]
              hosted-engine --set-shared-config --set <key=value> [--set <key=value> ...] [<options>]
            """,
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
            ...) are refused; --force sets one after the same confirmation. With --set KEY=VALUE, \
            repeated, every key is written in one write, all or none, each file checked with all of \
            them set (network_test=tcp needs tcp_t_address and tcp_t_port): keys of broker and \
            he_shared together, or of one of this host's files; vm keys one at a time.
            """)

    // Optional so that --set KEY=VALUE can stand in its place; one of the two is required (validate).
    @Argument(help: "The key.") var key: String?
    // Optional so that an unknown key is reported before a missing value, as the design note shows.
    @Argument(help: "The new value.") var value: String?
    /// More words after the value: the shell split an unquoted value at its spaces. The parser
    /// takes them here, knowing which options take a value, so that the slip can be named.
    @Argument(help: .hidden) var splitValue: [String] = []
    @Option(name: .customLong("type"), help: "The configuration type that holds the key (broker, vm, he_shared, he_local, ha).") var type:
        String?
    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Set this key to this value, in one write with the other --set keys (all or none), instead of KEY VALUE. Repeat for each key; they must share a place (the shared archive, or one of this host's files).",
            valueName: "key=value"))
    var assignments: [String] = []
    @OptionGroup var volume: VolumeOptions
    @Flag(
        name: .customLong("force"),
        help:
            "Write a vm or storage connection key without asking (a vm key may then name a network the OVF does not list); set an identity key."
    )
    var force = false
    @Flag(name: .customLong("dry-run"), help: "Check the value and say whether it would change; write nothing.") var dryRun = false
    @Option(
        name: .customLong("if-value"),
        help: ArgumentHelp(
            "Write only while the key still holds this value (the one you read); otherwise exit 3, naming who changed it. Not for vm keys.",
            valueName: "value"))
    var ifValue: String?
    @Flag(name: .customLong("json"), help: "Print what happened as JSON (key, type, changed, old and new, secrets masked, backups, notes).")
    var json =
        false
    @OptionGroup var write: WriteOptions

    /// The key, or `--set K1,K2` for several: never a value.
    var historySubject: String? { key ?? "--set " + pairs.map(\.key).joined(separator: ",") }

    /// `--set KEY=VALUE`, split at the first `=` (a key never holds one; a value may).
    var pairs: [(key: String, value: String)] {
        assignments.map { text in
            let equals = text.firstIndex(of: "=") ?? text.endIndex
            return (String(text[..<equals]), equals < text.endIndex ? String(text[text.index(after: equals)...]) : "")
        }
    }

    func validate() throws {
        if !assignments.isEmpty {
            guard key == nil else {
                throw ValidationError("give KEY VALUE or --set KEY=VALUE ..., not both (put \(key!) in a --set too).")
            }
            if ifValue != nil { throw ValidationError("--if-value goes with KEY VALUE, one key; not with --set.") }
            if let bad = assignments.first(where: { !$0.contains("=") || $0.hasPrefix("=") }) {
                throw ValidationError("--set takes KEY=VALUE (an empty value is KEY=), not '\(bad)'.")
            }
        } else if key == nil {
            throw ValidationError("Missing expected argument '<key>'")
        }
    }

    func run(in context: ToolContext) throws {
        guard let key else { return try runSeveral(in: context) }
        if let value, !splitValue.isEmpty { throw UsageSlip.valueSplitByTheShell(key: key, parts: [value] + splitValue) }
        var options = write.options(force: force, context: context)
        options.dryRun = dryRun
        options.expectedValue = ifValue
        guard json || dryRun else {
            try Self.perform(key: key, value: value, type: type, locator: volume.locator(context), options: options, context: context)
            return
        }
        let config = SharedConfig()
        let resolution = try config.resolve(key: key, type: type)
        // The value before, for the report (a key not set yet has none).
        let old = try? config.get(key: key, type: type, locator: volume.locator(context)).value
        let outcome = try config.set(key: key, value: value, type: type, locator: volume.locator(context), options: options)
        let secret = resolution.key.isSecret
        let shown = { (text: String?) -> String in DisplayText.quoted(text, secret: secret) }
        switch outcome {
        case .unchanged where !json: context.output.print("\(key) is already \(shown(value)); nothing would change.")
        case let .wouldWrite(before, details) where !json:
            context.output.print("Would set \(key) (type \(resolution.type.name)): \(shown(before)) -> \(shown(value))")
            for line in details { context.output.print(line) }
        case let .written(backups, notes):
            context.output.notes(notes)
            if !json { context.output.backups(backups) }
        default: break
        }
        guard json else { return }
        var backups: [String] = []
        var notes: [String] = []
        if case let .written(saved, said) = outcome { (backups, notes) = (saved, said) }
        let before: String? = if case let .wouldWrite(was, _) = outcome { was } else { old }
        let masked = { (text: String?) -> JSONText in text.map { .string(secret ? "(secret)" : $0) } ?? .null }
        context.output.print(
            JSONText.object([
                ("key", .string(key)), ("type", .string(resolution.type.name)), ("changed", .bool(outcome != .unchanged)),
                ("dryRun", .bool(dryRun)), ("old", masked(before)), ("new", masked(value)), ("secret", .bool(secret)),
                ("backups", .array(backups.map(JSONText.string))), ("notes", .array(notes.map(JSONText.string))),
            ]))
    }

    /// `--set KEY=VALUE ...`: one write of every key.
    private func runSeveral(in context: ToolContext) throws {
        var options = write.options(force: force, context: context)
        options.dryRun = dryRun
        let config = SharedConfig()
        let locator = volume.locator(context)
        // The values before, for the report (a key not set yet has none).
        let before = pairs.map { pair in try? config.get(key: pair.key, type: type, locator: locator).value }
        let outcome = try config.set(pairs, type: type, locator: locator, options: options)
        let resolutions = try pairs.map { try config.resolve(key: $0.key, type: type) }
        let shown = { (text: String?, index: Int) in DisplayText.quoted(text, secret: resolutions[index].key.isSecret) }
        var olds = before
        var backups: [String] = []
        var notes: [String] = []
        switch outcome {
        case .unchanged:
            if !json { context.output.print("Every key already holds its value; nothing \(dryRun ? "would change" : "was written").") }
        case let .wouldWriteEach(found):
            olds = found
            if !json {
                for (index, pair) in pairs.enumerated() where found[index] != pair.value {
                    context.output.print(
                        "Would set \(pair.key) (type \(resolutions[index].type.name)): \(shown(found[index], index)) -> \(shown(pair.value, index))"
                    )
                }
            }
        case .wouldWrite:
            break  // several keys: never one
        case let .written(saved, said):
            (backups, notes) = (saved, said)
            context.output.notes(said)
            if !json { context.output.backups(saved) }
        }
        guard json else { return }
        let masked = { (text: String?, index: Int) -> JSONText in
            text.map { .string(resolutions[index].key.isSecret ? "(secret)" : $0) } ?? .null
        }
        let keys = pairs.enumerated().map { index, pair -> JSONText in
            .object([
                ("key", .string(pair.key)), ("type", .string(resolutions[index].type.name)),
                ("secret", .bool(resolutions[index].key.isSecret)),
                ("old", masked(olds[index], index)), ("new", masked(pair.value, index)),
            ])
        }
        context.output.print(
            JSONText.object([
                ("changed", .bool(outcome != .unchanged)), ("dryRun", .bool(dryRun)), ("keys", .array(keys)),
                ("backups", .array(backups.map(JSONText.string))), ("notes", .array(notes.map(JSONText.string))),
            ]))
    }

    static func perform(
        key: String, value: String?, type: String?, locator: VolumeLocator, options: SharedConfig.WriteOptions, context: ToolContext
    ) throws {
        if case let .written(backups, notes) = try SharedConfig().set(
            key: key, value: value, type: type, locator: locator, options: options)
        {
            context.output.notes(notes)
            context.output.backups(backups)
        }
    }
}
