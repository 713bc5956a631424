extension HostedEngineError {
    /// broker.conf as the HA broker cannot read it: `FILE:LINE: problem, so ...; fix`, with
    /// `outcome` (`nothing was written`) at the end.
    static func brokerCannotRead(_ failure: PythonConfigParser.Failure, file: String, outcome: ConfigFileProblem.Outcome? = nil)
        -> HostedEngineError
    {
        .configFileInvalid(file: file, line: failure.line, problem: failure.problem(for: .haBroker), outcome: outcome)
    }

    /// hosted-engine.conf as the HA agent cannot read it (only bytes that are not UTF-8 stop it).
    static func agentCannotRead(_ failure: PythonConfigParser.Failure, file: String, outcome: ConfigFileProblem.Outcome? = nil)
        -> HostedEngineError
    {
        .configFileInvalid(file: file, line: failure.line, problem: failure.problem(for: .haAgent), outcome: outcome)
    }
}
