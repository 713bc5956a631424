extension WorkingCopy {
    /// The volume, compared with the base.
    public enum VolumeState: Sendable {
        case unchanged
        case moved(to: Checksum, changes: ConfigChanges)
        case unreadable(String)
    }

    public struct Status: Sendable {
        public let copy: WorkingCopy
        public let schema: Schema
        public let volume: VolumeState
        public let changes: ConfigChanges
        public let problems: [Problem]
        /// The OVF_STORE copies (a vm checkout's) that moved on since checkout, or cannot be read.
        public let movedOvfStores: [String]
    }

    public func status(schema: Schema) -> Status {
        let volume: VolumeState
        do {
            let current = try ConfigArchive.load(from: try Volume(path: volumePath, forWriting: false, settings: volumeSettings))
            volume =
                current.checksum == base.checksum
                ? .unchanged
                : .moved(
                    to: current.checksum,
                    changes: ConfigChanges(
                        from: base.memberContents, to: current.memberContents, memberOrder: memberNames, schema: schema))
        } catch {
            volume = .unreadable("\(error)")
        }
        var moved: [String] = []
        for store in ovf?.stores ?? [] {
            let image = try? OvfStoreImage(volume: try Volume(path: store.path, forWriting: false, settings: ovfStoreSettings(store.path)))
            if image?.checksum != store.checksum { moved.append(store.path) }
        }
        return Status(
            copy: self, schema: schema, volume: volume, changes: changes(schema: schema), problems: readWorkingFiles().problems,
            movedOvfStores: moved)
    }

    /// A unified diff of the working files against the base; secret values show as `********`
    /// unless `showSecrets`.
    public func diff(schema: Schema, showSecrets: Bool) -> String {
        let files = readWorkingFiles().files
        var out = ""
        for name in memberNames {
            let old = String(decoding: base.contents(of: name) ?? [], as: UTF8.self)
            let new = files[name].map { String(decoding: $0, as: UTF8.self) }
            // What the storage or the working files hold never reaches the terminal raw.
            let display: (String) -> String = { line in
                DisplayText.printableLine(showSecrets ? line : Self.maskingSecret(in: line, member: name, schema: schema))
            }
            out += UnifiedDiff.diff(
                old: old, new: new ?? "", oldName: "a/\(name)", newName: new == nil ? "/dev/null" : "b/\(name)", display: display)
        }
        if let ovf {
            let working = (try? LocalFile.read(directory + "/" + ovf.member, limit: 64 << 20)).map { String(decoding: $0, as: UTF8.self) }
            out += UnifiedDiff.diff(
                old: String(decoding: ovf.base.bytes, as: UTF8.self), new: working ?? "", oldName: "a/\(ovf.member)",
                newName: working == nil ? "/dev/null" : "b/\(ovf.member)", display: { DisplayText.printableLine($0) })
        }
        return out
    }

    static func maskingSecret(in line: String, member: String, schema: Schema) -> String {
        guard let delimiter = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return line }
        let key = ConfigFile.stripped(String(line[..<delimiter]))
        guard schema.isSecret(member: member, key: key) else { return line }
        let prefix = ConfigFile.valuePrefix(of: line, layout: line[delimiter] == "=" ? .flat : .ini)
        return prefix.count == line.count ? line : prefix + "********"
    }
}
