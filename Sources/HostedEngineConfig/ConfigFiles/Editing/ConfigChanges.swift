/// What differs between two versions of the archive's members, key by key where the schema
/// parses a member, and as a whole for the others.
public struct ConfigChanges: Sendable, Equatable {
    /// One key whose value differs.
    public struct KeyChange: Sendable, Equatable {
        public let member: String
        public let section: String?
        /// The key as written in the newer version (the older one when removed).
        public let key: String
        public let old: String?
        public let new: String?
        /// 1-based line of the key in the newer version, or in the older one when removed.
        public let line: Int
        /// The schema's entry for the key, when it has one (its rule says whether it may change).
        public let editable: ConfigKey?
        public let isSecret: Bool

        /// `key`, or `section.key` in INI files.
        public var label: String { section.map { "\($0).\(key)" } ?? key }

        /// One of its values as listings show it: quoted and escaped, `(secret)`, or `(not set)`.
        public func shown(_ value: String?, showSecrets: Bool = false) -> String {
            DisplayText.quoted(value, secret: isSecret, showSecrets: showSecrets)
        }

        /// Whether both versions name the same key.
        func isSameKey(as other: KeyChange) -> Bool {
            member == other.member && section == other.section && PythonText.same(PythonText.lower(key), PythonText.lower(other.key))
        }
    }

    /// A member that differs as a whole: not parsed, missing, or not readable as text.
    public struct MemberChange: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case modified, missing, added
        }

        public let member: String
        public let kind: Kind
        /// 1-based line of the first difference (0 when the member is missing).
        public let line: Int
    }

    public let keyChanges: [KeyChange]
    public let memberChanges: [MemberChange]
    /// Members whose bytes differ at all.
    public let changedMembers: [String]

    public var isEmpty: Bool { changedMembers.isEmpty }

    /// Changes from `old` to `new` (member name to bytes), for the members of `old`.
    public init(from old: [String: [UInt8]], to new: [String: [UInt8]], memberOrder: [String], schema: Schema) {
        var keyChanges: [KeyChange] = []
        var memberChanges: [MemberChange] = []
        var changed: [String] = []
        for member in memberOrder {
            let before = old[member]
            let after = new[member]
            guard before != after else { continue }
            changed.append(member)
            guard let before, let after else {
                memberChanges.append(MemberChange(member: member, kind: after == nil ? .missing : .added, line: 0))
                continue
            }
            guard schema.member(named: member)?.isParsed ?? false,
                let oldFile = try? schema.file(member: member, bytes: before),
                let newFile = try? schema.file(member: member, bytes: after)
            else {
                memberChanges.append(MemberChange(member: member, kind: .modified, line: Self.firstDifferentLine(before, after)))
                continue
            }
            keyChanges += Self.keyChanges(member: member, from: oldFile, to: newFile, schema: schema)
        }
        self.keyChanges = keyChanges
        self.memberChanges = memberChanges
        self.changedMembers = changed
    }

    static func keyChanges(member: String, from old: ConfigFile, to new: ConfigFile, schema: Schema) -> [KeyChange] {
        let type = schema.type(forMember: member)
        func identity(_ entry: ConfigFile.Entry, _ layout: ConfigFile.Layout) -> String {
            (layout == .ini ? PythonText.lower(entry.key) : entry.key) + "\u{0}" + (entry.section ?? "")
        }
        // The last of duplicate keys wins, as for the HA agent; duplicates are reported elsewhere.
        var oldEntries: [String: ConfigFile.Entry] = [:]
        for entry in old.entries { oldEntries[identity(entry, old.layout)] = entry }
        var newEntries: [String: ConfigFile.Entry] = [:]
        for entry in new.entries { newEntries[identity(entry, new.layout)] = entry }

        func change(_ entry: ConfigFile.Entry, old: String?, new: String?) -> KeyChange {
            let editable = type?.keys.first { key in
                PythonText.same(PythonText.lower(key.name), PythonText.lower(entry.key))
                    && (key.section == nil || entry.section == nil || key.section == entry.section)
            }
            return KeyChange(
                member: member, section: entry.section, key: entry.key, old: old, new: new,
                line: ConfigFile.lineNumber(ofIndex: entry.lineIndex), editable: editable,
                isSecret: schema.isSecret(member: member, key: entry.key))
        }

        var changes: [KeyChange] = []
        var seen = Set<String>()
        for entry in new.entries {
            let id = identity(entry, new.layout)
            guard seen.insert(id).inserted, let latest = newEntries[id] else { continue }
            let previous = oldEntries[id]?.value
            if previous != latest.value {
                changes.append(change(latest, old: previous, new: latest.value))
            }
        }
        for entry in old.entries where newEntries[identity(entry, old.layout)] == nil {
            let id = identity(entry, old.layout)
            guard seen.insert(id).inserted, let latest = oldEntries[id] else { continue }
            changes.append(change(latest, old: latest.value, new: nil))
        }
        return changes
    }

    static func firstDifferentLine(_ old: [UInt8], _ new: [UInt8]) -> Int {
        var line = 1
        for (a, b) in zip(old, new) {
            if a != b { return line }
            if a == 10 { line += 1 }
        }
        return line
    }
}
