extension BrokerReading {
    /// Checks, before anything is written, that the HA broker reads `new` (broker.conf) as
    /// intended: nothing stops it reading `keys`; each of `changed` reads as its value; every
    /// other option of every section reads as it did in `old`, where the broker could read it
    /// there. Returns a line for each other option that follows a changed one through
    /// `%(name)s`; throws what is wrong otherwise.
    public static func verify(
        old: [UInt8]?, new: [UInt8], changed: [(key: ConfigKey, value: String)], keys: [ConfigKey], file: String
    ) throws -> [String] {
        let outcome = ConfigFileProblem.Outcome.nothingWritten
        let reading = BrokerReading(bytes: new)
        if let failure = reading.failure(reading: keys) {
            throw HostedEngineError.brokerCannotRead(failure, file: file, outcome: outcome)
        }
        for (key, intended) in changed {
            let read = try reading.value(of: key)
            guard let read, PythonText.same(read.value, intended) else {
                throw HostedEngineError.configFileInvalid(
                    file: file, line: read.map { $0.lineIndex + 1 },
                    problem: .wouldRead(by: .haBroker, key: key.qualifiedName, read: read?.value, intended: intended, secret: false),
                    outcome: outcome)
            }
        }
        guard let old, let before = try? PythonConfigParser(bytes: old), let after = try? reading.parsed.get() else { return [] }
        var notes: [String] = []
        for section in ["DEFAULT"] + Self.union(before.sectionNames, after.sectionNames) {
            let names = Self.union((before.options(in: section) ?? []).map(\.name), (after.options(in: section) ?? []).map(\.name))
            for name in names {
                if changed.contains(where: {
                    PythonText.same($0.key.section ?? "DEFAULT", section) && PythonText.same(PythonText.lower($0.key.name), name)
                }) {
                    continue
                }
                guard case let .success(was)? = before.get(section, name) else { continue }
                let label = "\(DisplayText.printable(section)).\(DisplayText.printable(name))"
                let raw = { (parser: PythonConfigParser) in parser.options(in: section)?.first { PythonText.same($0.name, name) } }
                switch after.get(section, name) {
                case nil:
                    throw HostedEngineError.configFileInvalid(
                        file: file, line: nil, problem: .wouldNoLongerRead(by: .haBroker, key: label), outcome: outcome)
                case let .failure(failure)?:
                    throw HostedEngineError.brokerCannotRead(failure, file: file, outcome: outcome)
                case let .success(now)?:
                    if PythonText.same(now, was) { continue }
                    guard let option = raw(after), let previous = raw(before), PythonText.same(option.value, previous.value) else {
                        throw HostedEngineError.configFileInvalid(
                            file: file, line: raw(after).map { $0.lineIndex + 1 },
                            problem: .wouldRead(by: .haBroker, key: label, read: now, intended: was, secret: false), outcome: outcome)
                    }
                    notes.append(
                        "\(file):\(option.lineIndex + 1): \(label) refers to a changed key through %(name)s: the HA broker now reads it as \(DisplayText.quoted(now, secret: false)) (it read \(DisplayText.quoted(was, secret: false)))."
                    )
                }
            }
        }
        return notes
    }

    /// `verify` for a new version of a whole member (a push, an upload): when the HA broker
    /// reads `member`, the editable keys `changes` lists are intended as the administrator's file
    /// `intended` has them (in a rebase, `new` is that file merged onto the volume's).
    public static func verify(
        member: String, old: [UInt8]?, new: [UInt8], intended: [UInt8], changes: ConfigChanges, schema: Schema
    ) throws -> [String] {
        guard schema.reader(of: member) == .haBroker, let type = schema.type(forMember: member) else { return [] }
        let reading = BrokerReading(bytes: intended)
        let changed = changes.keyChanges.compactMap { change -> (key: ConfigKey, value: String)? in
            guard change.member == member, change.new != nil, let key = change.editable, key.rule.isEditable,
                let read = try? reading.value(of: key)
            else {
                return nil
            }
            return (key, read.value)
        }
        return try verify(old: old, new: new, changed: changed, keys: type.keys, file: member)
    }

    /// `first`, then what `second` adds, each name once (as Python tells them apart).
    private static func union(_ first: [String], _ second: [String]) -> [String] {
        var seen = Set<[Unicode.Scalar]>()
        return (first + second).filter { seen.insert(PythonText.key($0)).inserted }
    }
}
