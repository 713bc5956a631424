import ArgumentParser
import HostedEngineConfig

/// A failure turned into what the administrator reads and the exit status: the library's typed
/// errors as their messages, a usage slip as one line with the command's usage.
enum ErrorReport {
    /// Prints `error` as the command would and returns the exit status.
    static func report(_ error: any Error, of commandType: any ToolCommand.Type, to output: Output) -> Int32 {
        do {
            throw error
        } catch let error as HostedEngineError {
            output.error(error.description)
            return commandType.exitCode(for: error)
        } catch let slip as UsageSlip {
            output.error(slip.description)
            return ExitCode.validationFailure.rawValue
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            let code = commandType.exitCode(for: error)
            // A usage slip is one line: what is wrong, the command's usage, where help is.
            if code == .validationFailure {
                let word = String(commandType.configuration.commandName?.split(separator: " ").last ?? "")
                let usage = HelpText.synopsis(of: word).map { " Usage: hosted-engine \($0)." } ?? ""
                let message = commandType.message(for: error)
                output.error(
                    "hosted-engine \(word): \(message)\(message.hasSuffix(".") ? "" : ".")\(usage) See hosted-engine \(word) --help.")
                return code.rawValue
            }
            let message = commandType.fullMessage(for: error)
            if code == .success {
                output.print(message)
            } else if !message.isEmpty {
                output.error(message)
            }
            return code.rawValue
        }
    }
}
