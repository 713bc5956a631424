extension AgentConfReading {
    /// Checks, before anything is written, that the HA agent reads `new` (hosted-engine.conf)
    /// as intended: each of `changed` as its value, every other key as it read `old`. Values of
    /// keys that `isSecret` names are not shown in the messages.
    public static func verify(
        old: [UInt8]?, new: [UInt8], changed: [(key: String, value: String)], file: String, isSecret: (String) -> Bool = { _ in false }
    ) throws {
        let outcome = ConfigFileProblem.Outcome.nothingWritten
        let after: AgentConfReading
        do {
            after = try AgentConfReading(bytes: new)
        } catch {
            throw HostedEngineError.agentCannotRead(error, file: file, outcome: outcome)
        }
        for (key, intended) in changed {
            let read = after.value(key)
            guard let read, PythonText.same(read, intended) else {
                throw HostedEngineError.configFileInvalid(
                    file: file, line: nil,
                    problem: .wouldRead(by: .haAgent, key: key, read: read, intended: intended, secret: isSecret(key)), outcome: outcome)
            }
        }
        // The rules across keys, for what this write breaks (a file already broken stays settable).
        let before = old.flatMap { try? AgentConfReading(bytes: $0) }
        let broken = before?.networkProblems ?? []
        if Self.configuresNetworkTest(file), let problem = after.networkProblems.first(where: { !broken.contains($0) }) {
            throw HostedEngineError.configFileInvalid(file: file, line: nil, problem: .breaksRule(problem.message), outcome: outcome)
        }
        guard let before else { return }
        let keys = (before.entries + after.entries).map(\.key).filter { key in !changed.contains { PythonText.same($0.key, key) } }
        for key in keys where before.value(key).map({ Array($0.unicodeScalars) }) != after.value(key).map({ Array($0.unicodeScalars) }) {
            throw HostedEngineError.configFileInvalid(
                file: file, line: nil,
                problem: .wouldRead(by: .haAgent, key: key, read: after.value(key), intended: before.value(key), secret: isSecret(key)),
                outcome: outcome)
        }
    }
}
