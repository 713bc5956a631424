extension AgentConfReading {
    /// Checks, before anything is written, that the HA agent reads `new` (hosted-engine.conf)
    /// as intended: each of `changed` as its value, every other key as it read `old`. Values of
    /// keys that `isSecret` names are not shown in the messages.
    public static func verify(
        old: [UInt8]?, new: [UInt8], changed: [(key: String, value: String)], file: String, isSecret: (String) -> Bool = { _ in false }
    ) throws {
        let outcome = "nothing was written"
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
                    reason:
                        "after this change the HA agent would read \(key) as \(DisplayText.quoted(read, secret: isSecret(key))), not \(DisplayText.quoted(intended, secret: isSecret(key))); \(outcome)"
                )
            }
        }
        // The rules across keys, for what this write breaks (a file already broken stays settable).
        let before = old.flatMap { try? AgentConfReading(bytes: $0) }
        let broken = before?.networkProblems ?? []
        if Self.configuresNetworkTest(file), let problem = after.networkProblems.first(where: { !broken.contains($0) }) {
            throw HostedEngineError.configFileInvalid(file: file, line: nil, reason: "\(problem.message); \(outcome)")
        }
        guard let before else { return }
        let keys = (before.entries + after.entries).map(\.key).filter { key in !changed.contains { PythonText.same($0.key, key) } }
        for key in keys where before.value(key).map({ Array($0.unicodeScalars) }) != after.value(key).map({ Array($0.unicodeScalars) }) {
            throw HostedEngineError.configFileInvalid(
                file: file, line: nil,
                reason:
                    "after this change the HA agent would read \(DisplayText.printable(key)) as \(DisplayText.quoted(after.value(key), secret: isSecret(key))), not \(DisplayText.quoted(before.value(key), secret: isSecret(key))); \(outcome)"
            )
        }
    }
}
