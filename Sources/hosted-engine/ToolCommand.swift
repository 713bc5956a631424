import ArgumentParser
import HostedEngineConfig

/// A command reached through its command word.
protocol ToolCommand: ParsableCommand {
    /// The exit status for a failure; commands like --config-diff use their own scale.
    static func exitCode(for error: HostedEngineError) -> Int32
}

extension ToolCommand {
    static func exitCode(for error: HostedEngineError) -> Int32 { error.exitCode }
}
