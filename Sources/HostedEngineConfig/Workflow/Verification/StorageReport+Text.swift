extension StorageReport {
    /// The report as `--verify-storage` prints it: each volume, its journal and archive with its
    /// members, the OVF_STORE copies newest first, the hosted-engine.conf comparison, then the
    /// problems (or that there are none).
    public var text: String {
        var lines: [String] = []
        if let volume = configurationVolume {
            lines.append("Configuration volume \(volume.path)")
            if let origin = volume.origin { lines.append("  found \(origin.hasPrefix("from ") ? "" : "from ")\(origin)") }
            lines += Self.describe(volume)
        }
        if !ovfStores.isEmpty {
            let member = engineOvfMember.map { " (the engine VM's OVF is \($0))" } ?? ""
            lines.append("OVF_STORE copies, newest first\(member)")
            for store in ovfStores {
                let notes = [store.isNewest ? "newest, read by this tool" : nil, store.origin].compactMap { $0 }
                lines.append("  \(store.path)\(notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")")
                lines += Self.describe(store).map { "  " + $0 }
            }
            if let agreed = agreedEngineOvf, ovfStores.count > 1 {
                lines.append("  The copies agree on the engine VM's OVF (\(agreed)).")
            }
            if !otherMembersDiffering.isEmpty {
                lines.append("  Other members that differ between copies: \(otherMembersDiffering.joined(separator: ", ")).")
            }
        }
        if let comparison = hostedEngineConf {
            lines.append("This host's \(comparison.localPath) against the volume's hosted-engine.conf")
            if comparison.differences.isEmpty {
                lines.append("  Every key agrees.")
            }
            for difference in comparison.differences {
                let here = DisplayText.quoted(difference.local, secret: difference.isSecret)
                let there = DisplayText.quoted(difference.shared, secret: difference.isSecret)
                let why = difference.isExpected ? " (each host has its own)" : ""
                lines.append("  \(difference.key): \(here) here, \(there) on the volume\(why)")
            }
            if comparison.differences.allSatisfy(\.isExpected), !comparison.differences.isEmpty {
                lines.append("  Every other key agrees.")
            }
        }
        lines += notes
        if problems.isEmpty {
            lines.append("No problems found.")
        } else {
            lines.append("\(problems.count) problem\(problems.count == 1 ? "" : "s"):")
            lines += problems.map { "  - \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ volume: CheckedVolume) -> [String] {
        var lines: [String] = []
        if let facts = volume.facts {
            let size = volume.size.map { ", \($0) bytes" } ?? ""
            lines.append("  \(facts.kindText)\(size), owner \(facts.uid):\(facts.gid), mode \(StoredFileFacts.octal(facts.mode))")
        }
        if let journal = volume.journal {
            lines.append("  journal: \(journal.location); \(journalState(journal.state))")
        }
        if let history = volume.history { lines.append("  history: \(historyText(history))") }
        guard let archive = volume.archive else {
            lines.append("  archive: cannot be read")
            return lines
        }
        let records =
            archive.storedBytes == archive.recordSize ? "one \(archive.recordSize)-byte record" : "\(archive.recordSize)-byte records"
        lines.append("  archive: \(archive.storedBytes) bytes in \(records), \(archive.checksum)")
        let width = max(6, archive.members.map(\.name.count).max() ?? 0)
        lines.append("    " + pad("MEMBER", width) + "  " + pad("SIZE", 9, right: true) + "  MODE  OWNER            MODIFIED")
        for member in archive.members {
            let owner = (member.userName ?? "\(member.uid)") + ":" + (member.groupName ?? "\(member.gid)")
            lines.append(
                "    " + pad(member.name, width) + "  " + pad("\(member.size)", 9, right: true) + "  "
                    + StoredFileFacts.octal(member.mode) + "  " + pad(owner, 15) + "  " + TimeText.readable(member.modificationTime))
        }
        return lines
    }

    static func journalState(_ state: JournalInspection.State) -> String {
        switch state {
        case .absent: return "none yet (this tool has not written here)"
        case .clean(nil): return "clean (no write by this tool yet)"
        case let .clean(time?): return "clean (last write \(TimeText.readable(time)))"
        case let .pending(time, outcome): return "PENDING: a write at \(TimeText.readable(time)), \(outcome.rawValue)"
        }
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }

    static func historyText(_ history: History) -> String {
        let place: String
        switch history.location {
        case .none: return "none: a block device smaller than 128 MiB has no room for one; this host's backups remain"
        case let .inVolume(offset):
            let end = offset + Int64(SharedHistory.slotCount * SharedHistory.slotSize)
            place = "in the volume, \(offset >> 20) MiB to \(end >> 20) MiB"
        case let .sidecar(path): place = "in \(path)"
        }
        var parts = [place]
        if let newest = history.versions.first, let oldest = history.versions.last {
            let count = history.versions.count
            parts.append(
                "\(count) version\(count == 1 ? "" : "s") (\(oldest.id == newest.id ? newest.id : "\(oldest.id) to \(newest.id)"), the last \(SharedHistory.slotCount) are kept), newest \(TimeText.readable(newest.time)) by \(newest.hostText)"
            )
            if let pending = history.pending {
                parts.append("\(pending) is pending in the journal: the next command that reads the volume completes it")
            } else if let current = history.current {
                parts.append("the volume holds v\(current)")
            } else {
                parts.append("the volume holds an archive no version has (written by another tool, or damaged); the next write records it")
            }
        } else {
            parts.append("no versions yet; every write adds one")
        }
        if let cut = history.notCompleted { parts.append("\(cut) was cut short before it reached the volume; the next write replaces it") }
        if history.damagedSlots > 0 {
            parts.append(
                "\(history.damagedSlots) slot\(history.damagedSlots == 1 ? "" : "s") hold no whole version; the next writes replace them")
        }
        return parts.joined(separator: "; ")
    }
}
