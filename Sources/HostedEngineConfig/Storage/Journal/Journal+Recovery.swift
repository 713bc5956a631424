import Glibc

extension Journal {
    /// Settles a pending record under the lock, from a descriptor that can write; does nothing
    /// while a writer holds the lock (it will settle its own record).
    static func settle(_ volume: Volume, lockTimeout: Double) throws {
        let writable = volume.isWritable ? volume : try Volume(path: volume.path, forWriting: true, settings: volume.settings)
        do {
            try writable.withWriteLock(timeout: lockTimeout, toSettle: true) {}
        } catch HostedEngineError.locked {
            return
        }
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
                "Dropped the journal of a write interrupted at \(TimeText.readable(header.time)) on \(volume.path): another tool has written the volume since."
            )
        }
    }
}
