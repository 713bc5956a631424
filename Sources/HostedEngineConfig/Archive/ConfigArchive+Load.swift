import Glibc

extension ConfigArchive {
    /// The archive as the last write left it, without a lock.
    ///
    /// The journal header is read before and after the archive; if it changed, a writer was at
    /// work and the read is retried. A PENDING record means a write is in progress or was
    /// interrupted: its new archive is what the volume holds, and when no writer holds the lock
    /// an interrupted write is completed here (and said so) before returning.
    public static func load(from volume: Volume, lockTimeout: Double = 30) throws -> ConfigArchive {
        let journal = Journal(volume: volume)
        for _ in 0..<20 {
            let before = try journal.readHeader()
            let archive = Result { try Self(reading: volume) }
            let after = try journal.readHeader()
            guard before == after else {
                usleep(5000)
                continue
            }
            guard let header = before, header.state == .pending, let record = try journal.readRecord(header) else {
                return try archive.get()
            }
            let current = try volume.read(count: header.oldLength, at: 0)
            switch Journal.outcome(current: current, new: record.new, old: record.old) {
            case .complete:
                try? Journal.settle(volume, lockTimeout: 0)
                return try Self(bytes: record.new, origin: volume.path)
            case .torn:
                // A writer holding the lock will finish by itself; otherwise it died.
                try? Journal.settle(volume, lockTimeout: 0)
                return try Self(bytes: record.new, origin: volume.path)
            case .foreign:
                try? Journal.settle(volume, lockTimeout: 0)
                return try archive.get()
            }
        }
        // Writers kept coming: read between them, under the lock.
        let locked = try Volume(path: volume.path, forWriting: true, settings: volume.settings)
        try locked.lockExclusively(timeout: lockTimeout)
        defer { locked.unlock() }
        try Journal.recoverLocked(locked)
        return try Self(reading: locked)
    }

}

extension Journal {
    /// Settles a pending record under the lock, from a descriptor that can write; does nothing
    /// while a writer holds the lock (it will settle its own record).
    static func settle(_ volume: Volume, lockTimeout: Double) throws {
        let writable = volume.isWritable ? volume : try Volume(path: volume.path, forWriting: true, settings: volume.settings)
        do {
            try writable.lockExclusively(timeout: lockTimeout)
        } catch HostedEngineError.locked {
            return
        }
        defer { writable.unlock() }
        try Journal.recoverLocked(writable)
    }

    /// With the lock held: completes an interrupted write, or drops a record another tool's
    /// write made stale. Says what it did through the volume's report.
    static func recoverLocked(_ volume: Volume) throws {
        let journal = Journal(volume: volume)
        guard let header = try journal.readHeader(), header.state == .pending else { return }
        guard let record = try journal.readRecord(header) else {
            // The journal itself was torn, so the write in place never began.
            try journal.markDone(header)
            return
        }
        let current = try volume.read(count: header.oldLength, at: 0)
        switch Journal.outcome(current: current, new: record.new, old: record.old) {
        case .complete:
            try journal.markDone(header)
        case .torn:
            try volume.write(record.new, at: 0)
            try volume.synchronize()
            try journal.markDone(header)
            volume.settings.report(
                "Recovered \(volume.path): a write interrupted at \(TimeText.readable(header.time)) was completed from its journal.")
        case .foreign:
            try journal.markDone(header)
            volume.settings.report(
                "Dropped the journal of a write interrupted at \(TimeText.readable(header.time)) on \(volume.path): another tool has written the volume since.")
        }
    }
}
