/// Finds every problem in a proposed configuration, not just the first: text the consumers
/// would fail on, changes outside the whitelist, values that break their rule.
public struct ConfigValidator: Sendable {
    public let schema: Schema

    public init(schema: Schema) {
        self.schema = schema
    }

    /// Everything wrong with turning `base` into `proposed` (member name to bytes). Only
    /// members that change are checked, so an oddity already on the volume does not block an
    /// unrelated change. With `whitelist` false (a forced restore), only the text is checked.
    public func problems(base: [String: [UInt8]], proposed: [String: [UInt8]], memberOrder: [String], whitelist: Bool) -> [Problem] {
        let changes = ConfigChanges(from: base, to: proposed, memberOrder: memberOrder, schema: schema)
        var problems: [Problem] = []
        for member in changes.changedMembers {
            // A member that may not change at all is one problem, not one per line.
            if whitelist, schema.type(forMember: member) == nil { continue }
            if let bytes = proposed[member] {
                // A forced restore writes broker.conf however the broker reads it, and warns.
                problems += self.problems(inMember: member, bytes: bytes, brokerChecks: whitelist)
            }
        }
        problems += self.problems(of: changes, whitelist: whitelist, base: base, proposed: proposed)
        return problems.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
    }

    /// Problems in one member's text that would make its reader fail or misread it.
    public func problems(inMember member: String, bytes: [UInt8]) -> [Problem] {
        problems(inMember: member, bytes: bytes, brokerChecks: true)
    }

    func problems(inMember member: String, bytes: [UInt8], brokerChecks: Bool) -> [Problem] {
        guard schema.member(named: member)?.isParsed ?? false else { return [] }
        let file: ConfigFile
        do {
            file = try schema.file(member: member, bytes: bytes)
        } catch let HostedEngineError.configFileInvalid(_, line, problem, _) {
            return [Problem(file: member, line: line ?? 0, message: "the file \(problem.text(in: member))")]
        } catch {
            return [Problem(file: member, line: 0, message: "\(error)")]
        }
        var problems: [Problem] = []
        for index in file.unparsedLines {
            let what = file.layout == .ini ? "a key = value line, a [section] header or a comment" : "a key=value line or a comment"
            problems.append(Problem(file: member, line: ConfigFile.lineNumber(ofIndex: index), message: "this line is not \(what)"))
        }
        if file.layout == .ini {
            for entry in file.entries where entry.section == nil {
                problems.append(
                    Problem(
                        file: member, line: ConfigFile.lineNumber(ofIndex: entry.lineIndex),
                        message: "\(entry.key) comes before any [section]; add the section header above it"))
            }
        }
        if brokerChecks, schema.reader(of: member) == .haBroker { problems += brokerProblems(file) }
        // A forced restore writes it whatever the broker makes of it, and warns (ArchiveTransfer).
        if brokerChecks, schema.reader(of: member) == .haAgent, AgentConfReading.configuresNetworkTest(member),
            let reading = try? AgentConfReading(bytes: bytes)
        {
            problems += reading.networkProblems.map { Problem(file: member, line: reading.line(of: $0.key), message: $0.message) }
        }
        if schema.member(named: member)?.allowsRepeatedKeys ?? false { return problems }
        var groups: [String: [ConfigFile.Entry]] = [:]
        var order: [String] = []
        for entry in file.entries {
            let id = (file.layout == .ini ? PythonText.lower(entry.key) : entry.key) + "\u{0}" + (entry.section ?? "")
            if groups[id] == nil { order.append(id) }
            groups[id, default: []].append(entry)
        }
        for id in order {
            guard let group = groups[id], group.count > 1 else { continue }
            let lines = group.map { String(ConfigFile.lineNumber(ofIndex: $0.lineIndex)) }.joined(separator: " and ")
            let place = group[0].section.map { " in [\($0)]" } ?? ""
            problems.append(
                Problem(
                    file: member, line: ConfigFile.lineNumber(ofIndex: group[1].lineIndex),
                    message: "\(group[0].key) is set more than once\(place) (lines \(lines)); remove all but one"))
        }
        return problems
    }

    /// What else stops the HA broker reading broker.conf, beyond the lines reported as they are
    /// for every file: a section named twice, and values it cannot interpolate.
    func brokerProblems(_ file: ConfigFile) -> [Problem] {
        let scan = IniScan(lines: file.lines.map(\.text))
        let problem = { (failure: PythonConfigParser.Failure) in
            Problem(file: file.name, line: failure.line, message: failure.problem(for: .haBroker).text(in: file.name))
        }
        let duplicates = scan.errors.compactMap { error -> Problem? in
            guard case .duplicateSection = error else { return nil }
            return problem(PythonConfigParser.Failure(error))
        }
        guard scan.errors.isEmpty, let keys = schema.type(forMember: file.name)?.keys,
            let failure = BrokerReading(bytes: file.bytes).failure(reading: keys)
        else { return duplicates }
        return duplicates + [problem(failure)]
    }

    /// Problems of the changes themselves.
    func problems(of changes: ConfigChanges, whitelist: Bool, base: [String: [UInt8]], proposed: [String: [UInt8]]) -> [Problem] {
        var problems: [Problem] = []
        for change in changes.memberChanges where change.kind == .missing {
            problems.append(Problem(file: change.member, line: 0, message: "the file is missing; every host needs it"))
        }
        guard whitelist else { return problems }
        for member in changes.changedMembers where schema.type(forMember: member) == nil {
            guard let old = base[member], let new = proposed[member] else { continue }
            problems.append(
                Problem(
                    file: member, line: ConfigChanges.firstDifferentLine(old, new),
                    message: "\(member) is not editable; \(editableFilesHint)"))
        }
        for change in changes.keyChanges where schema.type(forMember: change.member) != nil {
            guard let key = change.editable, key.rule.isEditable else {
                let what: String
                if case let .fixed(reason)? = change.editable?.rule {
                    what = reason
                } else if case let .identity(reason, _)? = change.editable?.rule {
                    what = reason
                } else if let type = schema.type(forMember: change.member) {
                    what = "the editable keys of \(change.member) are \(Schema.editableKeyNames(of: type).joined(separator: ", "))"
                } else {
                    what = editableFilesHint
                }
                let how: String
                switch (change.old, change.new) {
                case (nil, _): how = "added as \(change.shown(change.new))"
                case (_, nil): how = "removed; it was \(change.shown(change.old))"
                default: how = "changed from \(change.shown(change.old)) to \(change.shown(change.new))"
                }
                problems.append(
                    Problem(file: change.member, line: change.line, message: "\(change.label) is not editable (\(how)); \(what)"))
                continue
            }
            guard let value = change.new else {
                problems.append(
                    Problem(file: change.member, line: change.line, message: "\(change.label) was removed; give it a value instead"))
                continue
            }
            do {
                try key.rule.validate(value, key: change.label)
                if schema.type(forMember: change.member)?.isSourcedByShell == true,
                    let problem = ShellAssignment.problem(key: change.label, value: value)
                {
                    problems.append(
                        Problem(file: change.member, line: change.line, message: "\(change.label) cannot be written: \(problem)"))
                }
            } catch {
                problems.append(Problem(file: change.member, line: change.line, message: "\(error)"))
            }
        }
        return problems
    }

    private var editableFilesHint: String {
        "only \(schema.editableMembers.joined(separator: ", ")) can be changed"
    }
}
