import ArgumentParser
import Glibc
import HostedEngineConfig

struct VerifyStorage: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --verify-storage",
        abstract: "Check the configuration volume, every OVF_STORE copy and this host's hosted-engine.conf; writes nothing.",
        discussion:
            "Says what each volume holds (owner, mode, journal, archive, members) and every problem with its fix; exits 1 when there is one."
    )

    @Flag(name: .customLong("json"), help: "Print JSON.") var json = false
    @OptionGroup var volume: VolumeOptions

    func run(in context: ToolContext) throws {
        let report = StorageVerification(locator: volume.locator(context)).run()
        context.output.print(json ? report.json.description : report.text)
        fflush(nil)
        guard report.isHealthy else {
            if !json {
                context.output.error(
                    "hosted-engine --verify-storage: \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") found; see above."
                )
            }
            throw ExitCode(1)
        }
    }
}
