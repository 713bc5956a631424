import Glibc

extension Journal {
    /// What `read` finds on `volume` as the last write left it, without a lock.
    ///
    /// The journal header is read before and after; a change between them (a writer at work)
    /// means reading again. A PENDING header (a write in progress, or interrupted) is settled
    /// first when no writer holds the lock; while it stays pending, `whilePending` may say what
    /// the volume holds (from the record), else the read waits a little and is tried again.
    /// After twenty tries the read is made under the lock. `read` may run several times.
    static func readConsistently<Value>(
        _ volume: Volume, lockTimeout: Double, read: (Volume) throws -> Value, whilePending: ((Header) throws -> Value?)? = nil
    ) throws -> Value {
        let journal = Journal(volume: volume)
        for _ in 0..<20 {
            let before = try journal.readHeader()
            if let header = before, header.state == .pending {
                try? settle(volume, lockTimeout: 0)
                guard let still = try journal.readHeader(), still.state == .pending else { continue }
                if let value = try whilePending?(still) { return value }
                usleep(20000)
                continue
            }
            let value = Result { try read(volume) }
            if try journal.readHeader() == before { return try value.get() }
            usleep(5000)
        }
        // Writers kept coming: read between them, under the lock.
        let locked = try Volume(path: volume.path, forWriting: true, settings: volume.settings)
        return try locked.withWriteLock(timeout: lockTimeout, toSettle: true) {
            return try read(locked)
        }
    }
}
