/// How `--config-status` shows a working copy.
extension WorkingCopy.Status {
    public func text(showSecrets: Bool) -> String {
        var lines = [
            "Working directory: \(copy.directory)",
            "Volume: \(copy.volumePath)",
            "Base: \(copy.base.checksum) (checked out \(TimeText.readable(copy.checkedOut)))",
        ]
        switch volume {
        case .unchanged:
            lines.append("The volume has not changed since checkout.")
        case let .moved(checksum, changes):
            let what = WorkingCopy.describe(changes)
            lines.append(
                "The volume changed since checkout (now \(checksum))\(what.isEmpty ? "" : ": " + what.joined(separator: ", ")); push with --rebase to merge."
            )
        case let .unreadable(reason):
            lines.append("The volume cannot be read: \(reason)")
        }
        for store in movedOvfStores {
            lines.append("The OVF_STORE copy \(store) changed since checkout (or cannot be read); push with --rebase to merge.")
        }
        let vmChanges = copy.ovfChanges()
        if changes.isEmpty, problems.isEmpty, vmChanges.isEmpty {
            lines.append("No changes here.")
            return lines.joined(separator: "\n")
        }
        lines.append("Changes here:")
        for change in vmChanges {
            lines.append("  \(copy.ovf?.member ?? "OVF"): vm \(change.key): '\(change.old)' -> '\(change.new)'")
        }
        for member in changes.changedMembers {
            let keys = changes.keyChanges.filter { $0.member == member }
            for change in keys {
                let note = change.editable?.rule.isEditable == true ? "" : " (not editable)"
                lines.append(
                    "  \(member): \(change.label): \(change.shown(change.old, showSecrets: showSecrets)) -> \(change.shown(change.new, showSecrets: showSecrets))\(note)"
                )
            }
            if let whole = changes.memberChanges.first(where: { $0.member == member }), whole.kind == .missing {
                lines.append("  \(member): missing")
            } else if keys.isEmpty, !isEditable(member) {
                lines.append("  \(member): changed (not editable)")
            } else if keys.isEmpty {
                lines.append("  \(member): lines other than keys changed (comments, spacing)")
            }
        }
        for problem in problems { lines.append("  \(problem)") }
        return lines.joined(separator: "\n")
    }

    public func json(showSecrets: Bool) -> JSONText {
        var members: [(String, JSONText)] = [
            ("directory", .string(copy.directory)), ("volume", .string(copy.volumePath)),
            ("base", .string(copy.base.checksum.description)), ("checkedOut", .string(TimeText.readable(copy.checkedOut))),
        ]
        switch volume {
        case .unchanged:
            members += [
                ("volumeState", .string("unchanged")), ("volumeChecksum", .string(copy.base.checksum.description)),
                ("volumeChanges", .array([])),
            ]
        case let .moved(checksum, changes):
            members += [
                ("volumeState", .string("moved")), ("volumeChecksum", .string(checksum.description)),
                ("volumeChanges", .array(WorkingCopy.describe(changes).map { .string($0) })),
            ]
        case let .unreadable(reason):
            members += [
                ("volumeState", .string("unreadable")), ("volumeChecksum", .null), ("volumeChanges", .array([])),
                ("volumeError", .string(reason)),
            ]
        }
        members.append(("movedOvfStores", .array(movedOvfStores.map { .string($0) })))
        members.append(
            (
                "changedFiles",
                .array(
                    changes.changedMembers.map { member in
                        let kind = changes.memberChanges.first { $0.member == member }?.kind
                        return .object([
                            ("file", .string(member)),
                            ("status", .string(kind == .missing ? "missing" : "modified")),
                            ("editable", .bool(isEditable(member))),
                        ])
                    })
            ))
        members.append(
            (
                "changedKeys",
                .array(
                    changes.keyChanges.map { change in
                        .object([
                            ("file", .string(change.member)), ("section", change.section.map { .string($0) } ?? .null),
                            ("key", .string(change.key)), ("line", .number(Int64(change.line))),
                            ("old", jsonValue(change.old, change, showSecrets)), ("new", jsonValue(change.new, change, showSecrets)),
                            ("editable", .bool(change.editable?.rule.isEditable == true)), ("secret", .bool(change.isSecret)),
                        ])
                    })
            ))
        members.append(
            (
                "changedVmKeys",
                .array(
                    copy.ovfChanges().map { change in
                        .object([("key", .string(change.key.description)), ("old", .string(change.old)), ("new", .string(change.new))])
                    })
            ))
        members.append(("problems", .array(problems.map(\.json))))
        return .object(members)
    }

    private func isEditable(_ member: String) -> Bool {
        schema.type(forMember: member) != nil
    }

    private func jsonValue(_ value: String?, _ change: ConfigChanges.KeyChange, _ showSecrets: Bool) -> JSONText {
        guard let value else { return .null }
        return change.isSecret && !showSecrets ? .string("(secret)") : .string(value)
    }
}
