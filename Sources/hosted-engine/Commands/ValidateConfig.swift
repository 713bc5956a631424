import ArgumentParser
import HostedEngineConfig

struct ValidateConfig: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --validate-config",
        abstract: "Print every problem in DIR as FILE:LINE: message; exit 1 if there is any.")

    @Argument(help: "The working directory.") var directory: String
    @Flag(name: .customLong("json"), help: "Print {\"problems\": [{\"file\", \"line\", \"message\"}]}.") var json = false

    func run(in context: ToolContext) throws {
        let problems = try WorkingCopy(opening: directory, volumeSettings: context.locator().volumeSettings).problems(
            schema: .standard)
        if json {
            context.output.print(JSONText.object([("problems", .array(problems.map(\.json)))]))
        } else {
            for problem in problems { context.output.print(problem) }
        }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}
