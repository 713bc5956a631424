import ArgumentParser
import HostedEngineConfig

/// A command reached through its command word, run with the run's context.
protocol ToolCommand: ParsableCommand {
    /// Does the command's work; what it prints goes through `context.output`.
    func run(in context: ToolContext) throws
    /// The exit status for a failure; commands like --config-diff use their own scale.
    static func exitCode(for error: HostedEngineError) -> Int32
    /// The arguments as the parser is to see them (an option whose value may be left out gets
    /// its default here).
    static func normalized(_ arguments: [String]) -> [String]
    /// What the shared history records of the command beyond its word (the key a set sets; never
    /// a value, which may be a secret).
    var historySubject: String? { get }
}

extension ToolCommand {
    static func exitCode(for error: HostedEngineError) -> Int32 { error.exitCode }
    static func normalized(_ arguments: [String]) -> [String] { arguments }
    var historySubject: String? { nil }
}

/// A command that writes: its `--without-sanlock` changes how the run opens volumes.
protocol WritingCommand: ToolCommand {
    var write: WriteOptions { get }
}
