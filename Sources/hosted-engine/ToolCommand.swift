import ArgumentParser
import HostedEngineConfig

/// A command reached through its command word, run with the run's context.
protocol ToolCommand: ParsableCommand {
    /// Does the command's work; what it prints goes through `context.output`.
    func run(in context: ToolContext) throws
    /// The exit status for a failure; commands like --config-diff use their own scale.
    static func exitCode(for error: HostedEngineError) -> Int32
}

extension ToolCommand {
    static func exitCode(for error: HostedEngineError) -> Int32 { error.exitCode }
}

/// A command that writes: its `--without-sanlock` changes how the run opens volumes.
protocol WritingCommand: ToolCommand {
    var write: WriteOptions { get }
}
