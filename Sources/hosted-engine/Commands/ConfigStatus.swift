import ArgumentParser
import HostedEngineConfig

struct ConfigStatus: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --config-status",
        abstract: "Show which files and keys changed in DIR, and whether the volume moved on since checkout.")

    @Argument(help: "The working directory.") var directory: String
    @Flag(name: .customLong("json"), help: "Print JSON.") var json = false
    @Flag(name: .customLong("show-secrets"), help: "Show the values of secret keys (the iSCSI password).") var showSecrets = false

    func run(in context: ToolContext) throws {
        let status = try WorkingCopy(opening: directory, volumeSettings: context.locator().volumeSettings).status(schema: .standard)
        context.output.print(json ? status.json(showSecrets: showSecrets).description : status.text(showSecrets: showSecrets))
    }
}
