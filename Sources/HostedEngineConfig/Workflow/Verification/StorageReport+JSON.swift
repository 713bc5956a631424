extension StorageReport {
    /// The report as `--verify-storage --json` prints it; `ok` is false when there are problems.
    public var json: JSONText {
        var fields: [(String, JSONText)] = [("ok", .bool(isHealthy))]
        fields.append(("configurationVolume", configurationVolume.map { Self.json($0, ovfStore: false) } ?? .null))
        fields.append(("ovfStores", .array(ovfStores.map { Self.json($0, ovfStore: true) })))
        fields.append(("engineOvfMember", engineOvfMember.map(JSONText.string) ?? .null))
        fields.append(("ovfStoresAgree", ovfStores.isEmpty ? .null : .bool(agreedEngineOvf != nil)))
        fields.append(("otherMembersDiffering", .array(otherMembersDiffering.map(JSONText.string))))
        if let comparison = hostedEngineConf {
            let differences = comparison.differences.map { difference -> JSONText in
                func value(_ text: String?) -> JSONText {
                    guard let text else { return .null }
                    return difference.isSecret ? .string("(secret)") : .string(text)
                }
                return .object([
                    ("key", .string(difference.key)), ("local", value(difference.local)), ("shared", value(difference.shared)),
                    ("expected", .bool(difference.isExpected)),
                ])
            }
            fields.append(
                ("hostedEngineConf", .object([("path", .string(comparison.localPath)), ("differences", .array(differences))])))
        } else {
            fields.append(("hostedEngineConf", .null))
        }
        fields.append(("notes", .array(notes.map(JSONText.string))))
        fields.append(("problems", .array(problems.map(JSONText.string))))
        // Each problem's fix as commands, where it has one: {"problem": index, "commands": [...]}.
        fields.append(
            (
                "fixes",
                .array(
                    fixes.keys.sorted().map { index in
                        .object([("problem", .number(Int64(index))), ("commands", .array((fixes[index] ?? []).map(JSONText.string)))])
                    })
            ))
        return .object(fields)
    }

    private static func json(_ volume: CheckedVolume, ovfStore: Bool) -> JSONText {
        var fields: [(String, JSONText)] = [("path", .string(volume.path))]
        fields.append(("origin", volume.origin.map(JSONText.string) ?? .null))
        fields.append(("bytes", volume.size.map(JSONText.number) ?? .null))
        if let facts = volume.facts {
            fields += [
                ("kind", .string(facts.kindText)), ("uid", .number(Int64(facts.uid))), ("gid", .number(Int64(facts.gid))),
                ("mode", .string(StoredFileFacts.octal(facts.mode))), ("readableByVdsm", .bool(facts.readableByVdsm)),
            ]
        }
        fields.append(("journal", volume.journal.map(json) ?? .null))
        if ovfStore { fields.append(("newest", .bool(volume.isNewest))) }
        if let history = volume.history {
            let location: JSONText
            switch history.location {
            case .none: location = .null
            case let .inVolume(offset): location = .object([("volumeOffset", .number(offset))])
            case let .sidecar(path): location = .object([("file", .string(path))])
            }
            fields.append(
                (
                    "history",
                    .object([
                        ("location", location), ("versions", .number(Int64(history.versions.count))),
                        ("newest", history.versions.first.map { .string($0.id) } ?? .null),
                        ("current", history.current.map { .string("v\($0)") } ?? .null),
                        ("damagedSlots", .number(Int64(history.damagedSlots))),
                    ])
                ))
        }
        guard let archive = volume.archive else {
            fields.append(("archive", .null))
            return .object(fields)
        }
        let members = archive.members.map { member -> JSONText in
            .object([
                ("name", .string(member.name)), ("bytes", .number(member.size)), ("mode", .string(StoredFileFacts.octal(member.mode))),
                ("uid", .number(member.uid)), ("gid", .number(member.gid)), ("user", member.userName.map(JSONText.string) ?? .null),
                ("group", member.groupName.map(JSONText.string) ?? .null), ("modified", .string(TimeText.iso(member.modificationTime))),
            ])
        }
        fields.append(
            (
                "archive",
                .object([
                    ("bytes", .number(Int64(archive.storedBytes))), ("recordSize", .number(Int64(archive.recordSize))),
                    ("checksum", .string(archive.checksum.description)), ("members", .array(members)),
                ])
            ))
        return .object(fields)
    }

    private static func json(_ journal: JournalInspection) -> JSONText {
        var fields: [(String, JSONText)] = [("location", .string(journal.location))]
        switch journal.state {
        case .absent:
            fields.append(("state", .string("absent")))
        case let .clean(time):
            fields += [("state", .string("clean")), ("lastWrite", time.map { .string(TimeText.iso($0)) } ?? .null)]
        case let .pending(time, outcome):
            fields += [("state", .string("pending")), ("time", .string(TimeText.iso(time))), ("outcome", .string(outcome.rawValue))]
        }
        return .object(fields)
    }
}
