import Glibc
import HostedEngineConfig
import Logging

/// `--verbose` (what the tool is doing, on stderr) and `--quiet` (errors only: a successful
/// write prints nothing), for every command of this tool.
enum Verbosity: Sendable {
    case quiet, normal, verbose

    /// Takes the two flags out of a command's arguments.
    static func take(from arguments: [String]) -> (Verbosity, [String]) {
        var chosen = Verbosity.normal
        let rest = arguments.filter { argument in
            switch argument {
            case "--verbose": chosen = .verbose
            case "--quiet": chosen = .quiet
            default: return true
            }
            return false
        }
        return (chosen, rest)
    }

    var level: Logger.Level {
        switch self {
        case .quiet: return .error
        case .normal: return .notice
        case .verbose: return .info
        }
    }

    /// Notices (when a change takes effect, where a backup went, recovery) are printed unless
    /// `--quiet`; the steps only with `--verbose`.
    func logger(writingTo output: Output) -> Logger {
        var logger = Logger(label: "hosted-engine") { _ in StderrLineHandler(output: output) }
        logger.logLevel = level
        return logger
    }
}

/// swift-log to stderr, a message a line: notices as they are, the `--verbose` steps after
/// `hosted-engine: `.
struct StderrLineHandler: LogHandler {
    let output: Output
    var logLevel: Logger.Level = .notice
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        output.error(event.level <= .info ? "hosted-engine: \(event.message)" : "\(event.message)")
    }
}
