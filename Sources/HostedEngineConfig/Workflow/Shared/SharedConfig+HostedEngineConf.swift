/// hosted-engine.conf's keys beyond the schema's: upstream reads every key of the file.
extension SharedConfig {
    /// The keys of `type` that `reading` sets, in schema order, then every other key it sets, in
    /// file order (read-only, as this tool does not know them).
    static func values(of type: ConfigType, in reading: AgentConfReading) -> [(key: ConfigKey, value: String)] {
        var values = type.keys.compactMap { key in reading.value(key.name).map { (key: key, value: $0) } }
        var seen = Set(type.keys.map(\.name))
        for entry in reading.entries where !seen.contains(entry.key) {
            seen.insert(entry.key)
            values.append((key: unknownKey(entry.key), reading.value(entry.key) ?? entry.value))
        }
        return values
    }

    /// A key of hosted-engine.conf that the schema does not list: readable, not settable.
    static func unknownKey(_ name: String) -> ConfigKey {
        ConfigKey(
            name: name, section: nil,
            rule: .fixed("it is not one of the keys of upstream's hosted-engine.conf that this tool knows, so it can be read but not set"),
            isSecret: name.lowercased().contains("password"))
    }

    /// A key the schema does not list that a hosted-engine.conf sets (upstream reads every key
    /// of the file): its type, or nil when none of the selected types' files sets it.
    func resolveInFiles(key userKey: String, type typeName: String?, locator: VolumeLocator) throws -> Resolution? {
        // broker.conf: a key of its file, by name or section.name (smtp-timeout).
        if let broker = try types(named: typeName).first(where: { $0.member == ConfigType.broker.member }),
            let archive = try? ConfigArchive.load(from: try locator.openConfigurationVolume(forWriting: false)),
            let bytes = archive.contents(of: broker.fileName), let file = try? schema.file(member: broker.fileName, bytes: bytes),
            let key = Self.unknownKeys(of: broker, in: file).first(where: { $0.name == userKey || $0.qualifiedName == userKey })
        {
            return Resolution(type: broker, key: key)
        }
        let candidates = try types(named: typeName).filter(\.isSourcedByShell)
        var found: [ConfigType] = []
        for type in candidates {
            let reading: AgentConfReading?
            if type.hostFile != nil {
                reading = try? HostFileStore(rules: rules, locator: locator).read(type).reading
            } else {
                reading = (try? ConfigArchive.load(from: try locator.openConfigurationVolume(forWriting: false)))
                    .flatMap { $0.contents(of: type.fileName) }.flatMap { try? AgentConfReading(bytes: $0) }
            }
            if reading?.value(userKey) != nil { found.append(type) }
        }
        guard let first = found.first else { return nil }
        guard found.count == 1 else {
            throw HostedEngineError.duplicateKey(userKey, types: found.map(\.name), files: found.map(\.fileDescription))
        }
        return Resolution(type: first, key: Self.unknownKey(userKey))
    }

    /// The keys an INI file of `type` sets that the schema does not list (broker.conf's
    /// smtp-timeout, which the broker reads): readable, not settable.
    static func unknownKeys(of type: ConfigType, in file: ConfigFile) -> [ConfigKey] {
        var keys: [ConfigKey] = []
        for entry in file.entries {
            let known = type.keys.contains { key in
                PythonText.same(PythonText.lower(key.name), PythonText.lower(entry.key))
                    && (key.section == nil || key.section == entry.section)
            }
            guard !known, !keys.contains(where: { $0.name == entry.key && $0.section == entry.section }) else { continue }
            keys.append(
                ConfigKey(
                    name: entry.key, section: entry.section,
                    rule: .fixed(
                        "it is not one of the \(type.fileName) keys this tool edits (the design note's), so it can be read but not set")))
        }
        return keys
    }
}
