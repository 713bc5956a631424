import HostedEngineConfig

/// A slip in how the command line was typed that the argument parser accepts but the command
/// can name better than it: said in one line, exit 64.
enum UsageSlip: Error, CustomStringConvertible {
    /// `--set-shared-config KEY a@x.com, b@x.com` unquoted: the value came as several words.
    case valueSplitByTheShell(key: String, parts: [String])

    var description: String {
        switch self {
        case let .valueSplitByTheShell(key, parts):
            let value = parts.joined(separator: " ")
            let quoted = DisplayText.shellWord(value)
            return
                "hosted-engine --set-shared-config: the value came as \(parts.count) arguments, so the shell split it at its spaces; quote it: hosted-engine --set-shared-config \(key) \(quoted)"
        }
    }
}
