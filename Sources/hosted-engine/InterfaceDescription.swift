import HostedEngineConfig

/// `hosted-engine --interface-json` (not listed in --help): the tool's own tables of command
/// words, types and keys, from which scripts/generate-docs writes the man page and the shell
/// completions, so that they cannot drift from the binary. Each command's options come from its
/// `--experimental-dump-help`.
enum InterfaceDescription {
    static var json: JSONText {
        .object([
            ("version", .string(ToolVersion.string)),
            (
                "commands",
                .array(
                    CommandLineTool.commands.map { command in
                        .object([
                            ("word", .string(command.word)),
                            ("synopsis", .string(HelpText.synopsis(of: command.word) ?? command.word)),
                            ("abstract", .string(command.type.configuration.abstract)),
                        ])
                    })
            ),
            (
                "types",
                .array(
                    Schema.standard.types.map { type in
                        .object([
                            ("name", .string(type.name)), ("file", .string(type.fileDescription)),
                            ("keys", .array(type.keys.map { .string($0.name) })),
                            ("editable", .array(type.keys.filter(\.rule.isEditable).map { .string($0.name) })),
                            // Each key's rule in words, as a refusal says it (the Cockpit page shows them).
                            ("rules", .object(type.keys.map { ($0.name, .string($0.rule.expectation)) })),
                            ("takesEffect", type.takesEffect.map(JSONText.string) ?? .null),
                        ])
                    })
            ),
            ("upstreamCommands", .array(UpstreamCli.commandWords.map { .string($0) })),
            ("upstreamPath", .string(UpstreamCli.defaultPath)),
        ])
    }
}
