import Crypto

extension Journal {
    /// The journal's header block: the state of the record and the lengths and checksums of its
    /// new archive and of the bytes it replaces, checksummed itself so a torn header reads as none.
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
            let newLength = number(40)
            let oldLength = number(48)
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
}
