import Glibc

/// The rules of a set, wherever its key lives (the configuration archive, this host's files):
/// the file as its readers will read it after the change, the confirmation a key may need, and
/// what a set does when its file moved on since it was read. One implementation, used by every
/// store of keys.
struct SetRules: Sendable {
    let schema: Schema

    /// How the file named `member` (an archive member, or this host's file) is read by its own
    /// reader: the broker's configparser, the agent's, or key=value lines.
    func reader(of member: String, bytes: [UInt8]) throws -> (ConfigKey) throws -> String? {
        switch schema.reader(of: member) {
        case .keyValue:
            let file = try schema.file(member: member, bytes: bytes)
            return { key in try file.value(forKey: key.name, section: key.section) }
        case .haBroker:
            let reading = BrokerReading(bytes: bytes)
            return { key in
                do throws(PythonConfigParser.Failure) {
                    return try reading.value(of: key)?.value
                } catch {
                    throw HostedEngineError.brokerCannotRead(error, file: member)
                }
            }
        case .haAgent:
            let reading: AgentConfReading
            do {
                reading = try AgentConfReading(bytes: bytes)
            } catch {
                throw HostedEngineError.agentCannotRead(error, file: member)
            }
            return { key in reading.value(key.name) }
        }
    }

    /// A set that meets its file moved on since it was read (another writer, on this host or
    /// another): the one rule for every place a key lives. The change is made again on what is
    /// there now when the key reads the same there as it did (as the file's own reader reads it:
    /// the broker's configparser, the agent's), since the writer changed other keys only; when
    /// the key itself changed, it is a conflict (exit 3). Nil when what is there holds the value.
    func setAgain(_ resolution: SharedConfig.Resolution, to value: String, in name: String, read was: [UInt8], now: [UInt8], force: Bool)
        throws
        -> (bytes: [UInt8], notes: [String], old: String?)?
    {
        // Another writer that set the same value leaves nothing to do, and no conflict.
        guard let edit = try editedFile(now, name: name, setting: resolution, to: value, force: force) else { return nil }
        // nil: unreadable, as a set that repairs the file finds it.
        let readBefore: String?? = try? reader(of: name, bytes: was)(resolution.key)
        let readNow: String?? = try? reader(of: name, bytes: now)(resolution.key)
        guard readNow == readBefore else { throw HostedEngineError.changedBySomebodyElse }
        return edit
    }

    /// `bytes` (the file `name` of `resolution`'s type) with the key set to `value`, checked as
    /// its reader will read it (`BrokerReading.verify`, `AgentConfReading.verify`, and for
    /// hosted-engine.conf the shell that sources it and the agent's storage connection); nil
    /// when it already holds the value. A set on a broker.conf the broker cannot read goes ahead
    /// only when it is what repairs it. With `force`, an iscsi_paths_blacklist value goes ahead
    /// though the shell reads its `<>` as redirections, with a warning of what that does.
    func editedFile(_ before: [UInt8], name: String, setting resolution: SharedConfig.Resolution, to value: String, force: Bool = false)
        throws -> (
            bytes: [UInt8], notes: [String], old: String?
        )?
    {
        var file = try schema.file(member: name, bytes: before)
        let reader = schema.reader(of: name)
        let old = try? file.value(forKey: resolution.key.name, section: resolution.key.section)
        guard try file.setValue(value, forKey: resolution.key.name, section: resolution.key.section) else {
            if reader == .haBroker, let failure = BrokerReading(bytes: before).failure(reading: resolution.type.keys) {
                throw HostedEngineError.brokerCannotRead(failure, file: name, outcome: "nothing was written")
            }
            return nil
        }
        var notes: [String] = []
        var forcedLine: String?
        switch reader {
        case .haBroker:
            notes = try BrokerReading.verify(
                old: before, new: file.bytes, changed: [(resolution.key, value)], keys: resolution.type.keys, file: name)
        case .haAgent:
            try AgentConfReading.verify(
                old: before, new: file.bytes, changed: [(resolution.key.name, value)], file: name,
                isSecret: { name in
                    schema.isSecret(member: resolution.type.fileName, key: name)
                        || resolution.type.keys.contains { $0.isSecret && $0.name == name }
                })
            if resolution.type.isSourcedByShell, let problem = ShellAssignment.problem(key: resolution.key.name, value: value) {
                let redirections = resolution.key.rule == .pathsBlacklist ? ShellAssignment.redirections(in: value) : nil
                guard let redirections, force else {
                    let way = redirections == nil ? "no value of this form can be written" : "pass --force to write it anyway"
                    throw HostedEngineError.invalidValue(key: resolution.key.name, value: value, rule: problem + "; " + way)
                }
                forcedLine = resolution.key.name + "="
                notes.append(
                    "WARNING: upstream's hosted-engine command sources hosted-engine.conf as a shell script: it will read \(resolution.key.name) as '\(DisplayText.printable(redirections.value))' and, each time it runs, create \(redirections.files.count == 1 ? "an empty file" : "empty files") named \(redirections.files.map { "'\(DisplayText.printable($0))'" }.joined(separator: ", ")) in the folder it is run from (each '<>' opens one); the HA agent reads the whole value."
                )
            }
            if resolution.type.isSourcedByShell, let text = String(validating: file.bytes, as: UTF8.self) {
                // Lines the shell cannot take that the change did not make: said, not refused.
                let lines = PythonText.lines(text)
                // The line --force just wrote was warned about above.
                notes += ShellAssignment.unreadableLines(text).filter { found in
                    forcedLine.map { !lines[found.line - 1].text.hasPrefix($0) } ?? true
                }.map {
                    "WARNING: \(name):\($0.line): upstream's hosted-engine command sources this file as a shell script, and \($0.why); fix that line by hand."
                }
            }
            if let reading = try? AgentConfReading(bytes: file.bytes),
                let problem = StorageConnectionCheck.problem(in: reading, changedKey: resolution.key.name)
            {
                throw HostedEngineError.invalidValue(key: resolution.key.name, value: value, rule: problem + "; nothing was written")
            }
        case .keyValue:
            break
        }
        return (file.bytes, notes, old)
    }

    /// Asks before a change whose key needs it (a storage connection or identity key): on a
    /// terminal, else `--force` stands for the answer. An identity key is asked about even with
    /// `--force` when there is a terminal.
    func confirm(_ resolution: SharedConfig.Resolution, old: String?, new: String, place: String, options: SharedConfig.WriteOptions) throws
    {
        guard let what = resolution.key.confirmation else { return }
        let isIdentity = !resolution.key.rule.isEditable
        if options.force, !isIdentity || options.confirm == nil { return }
        guard let ask = options.confirm else { throw HostedEngineError.confirmationNeeded(key: resolution.key.name, what: what) }
        let shown = { (value: String?) in DisplayText.quoted(value, secret: resolution.key.isSecret) }
        let text = "Setting \(resolution.key.name) in \(place) \(what):\n  \(resolution.key.name): \(shown(old)) -> \(shown(new))"
        guard ask(text) else { throw HostedEngineError.notConfirmed }
    }
}
