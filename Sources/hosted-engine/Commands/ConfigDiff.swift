import ArgumentParser
import HostedEngineConfig

struct ConfigDiff: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --config-diff",
        abstract: "Print a unified diff of DIR against its base.",
        discussion: "Exit status as diff's: 0 no difference, 1 differences, 2 error.")

    @Argument(help: "The working directory.") var directory: String
    @Flag(name: .customLong("show-secrets"), help: "Show the values of secret keys (the iSCSI password).") var showSecrets = false

    static func exitCode(for error: HostedEngineError) -> Int32 { 2 }

    func run(in context: ToolContext) throws {
        let diff = try WorkingCopy(opening: directory, volumeSettings: context.locator().volumeSettings).diff(
            schema: .standard, showSecrets: showSecrets)
        if diff.isEmpty { return }
        context.output.print(diff, terminator: "")
        throw ExitCode(1)
    }
}
