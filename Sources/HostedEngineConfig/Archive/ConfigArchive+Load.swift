import Logging

extension ConfigArchive {
    /// The archive as the last write left it, without a lock (see `Journal.readConsistently`).
    /// While a write is pending and cannot be settled here (its writer holds the lock, or this
    /// caller may not write), its new archive is what the volume holds, unless another tool
    /// wrote since.
    public static func load(from volume: Volume, lockTimeout: Double = 30) throws -> ConfigArchive {
        let archive: ConfigArchive
        do {
            archive = try read(from: volume, lockTimeout: lockTimeout)
        } catch let HostedEngineError.archiveInvalid(path, problem, nil) {
            // What to restore: the shared history's newest version that is whole.
            throw HostedEngineError.archiveInvalid(path: path, problem: problem, restorable: newestRestorable(on: volume))
        }
        volume.settings.logger.info("Read the configuration archive: \(archive.bytes.count) bytes, \(archive.checksum)")
        return archive
    }

    private static func read(from volume: Volume, lockTimeout: Double) throws -> ConfigArchive {
        try Journal.readConsistently(volume, lockTimeout: lockTimeout, read: Self.init(reading:)) { header in
            let journal = Journal(volume: volume)
            guard let record = try journal.readRecord(header) else { return try Self(reading: volume) }
            let current = try volume.read(count: header.oldLength, at: 0)
            switch Journal.outcome(current: current, new: record.new, old: record.old) {
            case .complete, .torn: return try Self(bytes: record.new, origin: volume.path)
            case .foreign: return try Self(reading: volume)
            }
        }
    }

    /// The newest version of the shared history on `volume` that holds a valid archive.
    /// `maximumBytes`: only a version no larger (one 20480-byte record, for an archive that grew).
    static func newestRestorable(on volume: Volume, maximumBytes: Int = .max) -> RestorableVersion? {
        let history = SharedHistory(volume: volume)
        guard let listing = try? history.list() else { return nil }
        for entry in listing.entries.reversed() where entry.length <= maximumBytes {
            if let bytes = try? history.archive(of: entry), (try? ConfigArchive(bytes: bytes, origin: entry.id)) != nil {
                return RestorableVersion(id: entry.id, time: entry.time)
            }
        }
        return nil
    }
}
