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

    struct Header: Equatable {
        var state: State
        var sequence: UInt64
        var time: Int64
        var newLength: Int
        var oldLength: Int
        var newHash: [UInt8]
        var oldHash: [UInt8]

        func encoded() -> [UInt8] {
            var bytes = Journal.magic
            bytes.append(state.rawValue)
            bytes += [UInt8](repeating: 0, count: 7)
            bytes += Self.littleEndian(sequence)
            bytes += Self.littleEndian(UInt64(bitPattern: time))
            bytes += Self.littleEndian(UInt64(newLength))
            bytes += Self.littleEndian(UInt64(oldLength))
            bytes += newHash + oldHash
            bytes += Array(SHA256.hash(data: bytes))
            return bytes + [UInt8](repeating: 0, count: Journal.block - bytes.count)
        }

        /// Nil unless the block holds a whole, untorn header.
        init?(decoding block: [UInt8]) {
            guard block.count >= 152, Array(block[0..<16]) == Journal.magic,
                Array(SHA256.hash(data: block[0..<120])) == Array(block[120..<152]),
                let state = State(rawValue: block[16])
            else { return nil }
            func number(_ offset: Int) -> UInt64 {
                (0..<8).reduce(UInt64(0)) { $0 | UInt64(block[offset + $1]) << (8 * UInt64($1)) }
            }
            let newLength = number(40), oldLength = number(48)
            guard newLength <= UInt64(Journal.maximumRecord), oldLength <= UInt64(Journal.maximumRecord) else { return nil }
            self.state = state
            self.sequence = number(24)
            self.time = Int64(bitPattern: number(32))
            self.newLength = Int(newLength)
            self.oldLength = Int(oldLength)
            self.newHash = Array(block[56..<88])
            self.oldHash = Array(block[88..<120])
        }

        init(state: State, sequence: UInt64, time: Int64, new: [UInt8], old: [UInt8]) {
            self.init(
                state: state, sequence: sequence, time: time, newLength: new.count, oldLength: old.count,
                newHash: Array(SHA256.hash(data: new)), oldHash: Array(SHA256.hash(data: old)))
        }

        init(state: State, sequence: UInt64, time: Int64, newLength: Int, oldLength: Int, newHash: [UInt8], oldHash: [UInt8]) {
            self.state = state
            self.sequence = sequence
            self.time = time
            self.newLength = newLength
            self.oldLength = oldLength
            self.newHash = newHash
            self.oldHash = oldHash
        }

        static func littleEndian(_ value: UInt64) -> [UInt8] {
            (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
        }
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
        (count + block - 1) / block * block
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
            // The record must not overlap the archive it protects.
            return offset >= Int64(max(newLength, oldLength)) ? offset : nil
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
            throw HostedEngineError.volumeUnusable(
                path: volume.path, reason: "it is too small to keep a write journal beside a \(new.count)-byte archive; nothing was written")
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
                throw HostedEngineError.io(path: volume.path, operation: "copy \(stream.count) bytes (got \(written)) into the journal of", errno: EIO)
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
            throw HostedEngineError.volumeUnusable(path: volume.path, reason: "its journal record does not fit it")
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

/// A byte range of a volume's journal (in the volume or beside it).
struct JournalBytes: ByteStream {
    let volume: Volume
    let offset: Int64
    let count: Int

    func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        var done = 0
        while done < count {
            let piece = min(streamChunkSize, count - done)
            guard let chunk = try volume.readJournal(count: piece, at: offset + Int64(done)), chunk.count == piece else {
                throw HostedEngineError.io(path: volume.path, operation: "read the journal of", errno: EIO)
            }
            try body(chunk)
            done += piece
        }
    }
}
