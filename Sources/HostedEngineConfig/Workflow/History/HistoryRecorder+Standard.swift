import Glibc

extension HistoryRecorder {
    /// The recorder for writes of the configuration archive: this host's host_id (as the
    /// caller found it in hosted-engine.conf) and name, the user, the command, and the keys that differ, as the
    /// schema names them.
    static func standard(schema: Schema, options: SharedConfig.WriteOptions) -> HistoryRecorder {
        HistoryRecorder(
            hostId: options.hostId, hostname: Self.hostname, user: options.audit?.user ?? AuditLog.currentUser(environment: [:]),
            command: options.command
        ) { old, new in
            guard let before = try? ConfigArchive(bytes: old, origin: "") else { return nil }
            guard let after = try? ConfigArchive(bytes: new, origin: "") else { return [] }
            return Self.keys(
                ConfigChanges(
                    from: before.memberContents, to: after.memberContents, memberOrder: ConfigArchive.memberNames, schema: schema),
                schema: schema)
        }
    }

    /// `TYPE:KEY` for each key changed, `TYPE` alone for a file changed as a whole.
    static func keys(_ changes: ConfigChanges, schema: Schema) -> [String] {
        var keys = changes.keyChanges.map { Self.keys($0, schema: schema) }
        for change in changes.memberChanges {
            keys.append(schema.type(forMember: change.member)?.name ?? change.member)
        }
        return keys
    }

    /// `TYPE:KEY` for one key changed.
    static func keys(_ change: ConfigChanges.KeyChange, schema: Schema) -> String {
        "\(schema.type(forMember: change.member)?.name ?? change.member):\(change.editable?.name ?? change.label)"
    }

    static var hostname: String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension CompareAndSwap {
    /// The compare-and-swap for the configuration archive: every write adds to the shared history.
    /// `locator`, when the command has one, names this host's hosted-engine.conf and so its host_id.
    static func configuration(volume: Volume, options: SharedConfig.WriteOptions, schema: Schema, locator: VolumeLocator? = nil)
        -> CompareAndSwap
    {
        var options = options
        if let id = locator?.hostId { options.hostId = id }
        return CompareAndSwap(
            volume: volume, lockTimeout: options.lockTimeout, backups: options.backups, history: .standard(schema: schema, options: options)
        )
    }
}
