/// What a volume's write journal says, read without settling it: `--verify-storage` writes
/// nothing, so a pending record is reported, not completed.
public struct JournalInspection: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// No journal yet (a sidecar not made), or a block device too small for one.
        case absent
        /// No header, or the last write finished.
        case clean(lastWrite: Int64?)
        /// A write began at `time` and did not say it finished.
        case pending(time: Int64, outcome: PendingOutcome)
    }

    /// What the volume holds against a pending record.
    public enum PendingOutcome: String, Sendable {
        /// The new archive: only the DONE mark is missing.
        case finished
        /// The old bytes, the new or a mix: the next read or write as root writes the new archive again.
        case interrupted
        /// Something else: another tool wrote since; the record will be dropped.
        case overtaken
        /// The record itself is torn: the write in place never began.
        case journalTorn = "journal-torn"
    }

    /// Where the journal lives, for people.
    public let location: String
    public let state: State

    /// Reads `volume`'s journal; nothing is written.
    public init(volume: Volume) throws {
        switch volume.journalLocation {
        case .none: location = "none (a block device smaller than 1 MiB)"
        case .inVolume: location = "the volume's last 4 KiB"
        case let .sidecar(path): location = path
        }
        let journal = Journal(volume: volume)
        guard let header = try journal.readHeader() else {
            let exists = try volume.readJournal(count: 1, at: 0) != nil
            state = exists ? .clean(lastWrite: nil) : .absent
            return
        }
        guard header.state == .pending else {
            state = .clean(lastWrite: header.time)
            return
        }
        guard let record = try journal.readRecord(header) else {
            state = .pending(time: header.time, outcome: .journalTorn)
            return
        }
        let current = try volume.read(count: header.oldLength, at: 0)
        switch Journal.outcome(current: current, new: record.new, old: record.old) {
        case .complete: state = .pending(time: header.time, outcome: .finished)
        case .torn: state = .pending(time: header.time, outcome: .interrupted)
        case .foreign: state = .pending(time: header.time, outcome: .overtaken)
        }
    }
}
