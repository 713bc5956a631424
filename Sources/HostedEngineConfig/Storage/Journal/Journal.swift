import Crypto
import Glibc

/// The write-ahead record that makes an in-place write crash-safe.
///
/// Before the archive at offset 0 is rewritten, the new archive and the bytes it will replace
/// are written to the journal (the volume's last blocks, or a file beside a small file volume)
/// with a PENDING header, and fsynced. After the in-place write is fsynced, the header becomes
/// DONE. Whoever finds a PENDING header compares offset 0 with the record: the new archive
/// means the write finished; any mix of new and old bytes (a torn write, or one not begun)
/// means it did not, and the new archive is written again; anything else means another tool
/// wrote since, and the record is dropped.
struct Journal {
    static let block = 4096
    /// No archive this tool writes comes near; a header claiming more is garbage.
    static let maximumRecord = 1 << 30
    static let magic = Array("HE-CONF-JOURNAL1".utf8)

    enum State: UInt8 {
        case pending = 1
        case done = 2
    }

    /// What offset 0 holds, against a pending record.
    enum Outcome: Equatable {
        /// The new archive: the write finished.
        case complete
        /// Old bytes, new bytes or a mix: the write did not finish.
        case torn
        /// Something else: another tool wrote after the record was made.
        case foreign
    }

    let volume: Volume

    static func aligned(_ count: Int) -> Int {
        count.roundedUp(toMultipleOf: block)
    }

    private var headerOffset: Int64? {
        switch volume.journalLocation {
        case .none: return nil
        case let .inVolume(offset): return offset
        case .sidecar: return 0
        }
    }

    /// Where a record's data starts: before the header in the volume, after it beside it.
    private func dataOffset(newLength: Int, oldLength: Int) -> Int64? {
        switch volume.journalLocation {
        case .none: return nil
        case let .inVolume(header):
            let offset = header - Int64(Self.aligned(newLength) + Self.aligned(oldLength))
            // The record must not overlap the archive it protects, nor the shared history.
            var floor = Int64(max(newLength, oldLength))
            if case let .inVolume(start) = volume.historyLocation {
                floor = max(floor, start + Int64(SharedHistory.slotCount * SharedHistory.slotSize))
            }
            return offset >= floor ? offset : nil
        case .sidecar: return Int64(Self.block)
        }
    }

    func readHeader() throws -> Header? {
        guard let offset = headerOffset, let block = try volume.readJournal(count: Self.block, at: offset) else { return nil }
        return Header(decoding: block)
    }

    /// The record's new archive and the bytes it replaces; nil when they do not match the header
    /// (the crash came while the journal itself was being written).
    func readRecord(_ header: Header) throws -> (new: [UInt8], old: [UInt8])? {
        guard let offset = dataOffset(newLength: header.newLength, oldLength: header.oldLength),
            let data = try volume.readJournal(count: Self.aligned(header.newLength) + header.oldLength, at: offset),
            data.count == Self.aligned(header.newLength) + header.oldLength
        else { return nil }
        let new = Array(data[0..<header.newLength])
        let old = Array(data[Self.aligned(header.newLength)...])
        guard Array(SHA256.hash(data: new)) == header.newHash, Array(SHA256.hash(data: old)) == header.oldHash else { return nil }
        return (new, old)
    }

    /// Writes a PENDING record and waits until it is on the storage. `new` and `old` are read
    /// once each, piece by piece; the header, with their checksums, is written after them.
    /// `oldChecksum`, when the caller knows it, spares hashing `old` again.
    func writePending(new: some ByteStream, old: some ByteStream, oldChecksum: Checksum? = nil, time: Int64) throws -> Header {
        guard let headerOffset, let dataOffset = dataOffset(newLength: new.count, oldLength: old.count) else {
            throw HostedEngineError.volumeUnusable(path: volume.path, problem: .tooSmallForJournal(archiveBytes: new.count))
        }
        let previous = try readHeader()
        var position = dataOffset
        func append(_ stream: some ByteStream, known: Checksum?) throws -> [UInt8] {
            var hasher = SHA256()
            var written = 0
            try WholeBlocks(base: stream).forEachChunk { chunk in
                if known == nil { hasher.update(data: chunk) }
                try volume.writeJournal(chunk, at: position)
                position += Int64(chunk.count)
                written += chunk.count
            }
            guard written == stream.count else {
                throw HostedEngineError.io(
                    path: volume.path, operation: "copy \(stream.count) bytes (got \(written)) into the journal of", errno: EIO)
            }
            let padding = Self.aligned(written) - written
            if padding > 0 {
                try volume.writeJournal([UInt8](repeating: 0, count: padding), at: position)
                position += Int64(padding)
            }
            return known?.digestBytes ?? Array(hasher.finalize())
        }
        let newHash = try append(new, known: nil)
        let oldHash = try append(old, known: oldChecksum)
        let header = Header(
            state: .pending, sequence: (previous?.sequence ?? 0) &+ 1, time: time, newLength: new.count, oldLength: old.count,
            newHash: newHash, oldHash: oldHash)
        try volume.writeJournal(header.encoded(), at: headerOffset)
        try volume.synchronizeJournal()
        return header
    }

    /// The new archive of a record, read back from the journal.
    func newArchive(of header: Header) throws -> some ByteStream {
        guard let offset = dataOffset(newLength: header.newLength, oldLength: header.oldLength) else {
            throw HostedEngineError.volumeUnusable(path: volume.path, problem: .journalRecordDoesNotFit)
        }
        return JournalBytes(volume: volume, offset: offset, count: header.newLength)
    }

    func markDone(_ header: Header) throws {
        guard let headerOffset else { return }
        var done = header
        done.state = .done
        try volume.writeJournal(done.encoded(), at: headerOffset)
        try volume.synchronizeJournal()
    }

    static func outcome(current: [UInt8], new: [UInt8], old: [UInt8]) -> Outcome {
        // `old` covers at least what `new` overwrites; past `new`, offset 0 keeps `old`.
        guard current.count == old.count, old.count >= new.count else { return .foreign }
        return current.withUnsafeBufferPointer { current in
            new.withUnsafeBufferPointer { new in
                old.withUnsafeBufferPointer { old in
                    let tail = old.count - new.count
                    guard tail == 0 || memcmp(current.baseAddress! + new.count, old.baseAddress! + new.count, tail) == 0 else {
                        return .foreign
                    }
                    if new.isEmpty || memcmp(current.baseAddress!, new.baseAddress!, new.count) == 0 { return .complete }
                    for index in 0..<new.count where current[index] != new[index] && current[index] != old[index] {
                        return .foreign
                    }
                    return .torn
                }
            }
        }
    }
}
