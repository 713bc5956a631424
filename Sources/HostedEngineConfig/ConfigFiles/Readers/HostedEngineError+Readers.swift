extension HostedEngineError {
    /// broker.conf as the HA broker cannot read it: `FILE:LINE: problem, so ...; fix`, with
    /// `outcome` (`nothing was written`) at the end.
    static func brokerCannotRead(_ failure: PythonConfigParser.Failure, file: String, outcome: String? = nil) -> HostedEngineError {
        .configFileInvalid(file: file, line: failure.line, reason: failure.brokerMessage(file: file) + (outcome.map { "; \($0)" } ?? ""))
    }

    /// hosted-engine.conf as the HA agent cannot read it (only bytes that are not UTF-8 stop it).
    static func agentCannotRead(_ failure: PythonConfigParser.Failure, file: String, outcome: String? = nil) -> HostedEngineError {
        .configFileInvalid(
            file: file, line: failure.line,
            reason: "\(failure.problem), so the HA agent cannot read it; \(failure.fix)" + (outcome.map { "; \($0)" } ?? ""))
    }
}
