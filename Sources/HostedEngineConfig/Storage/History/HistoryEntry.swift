import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One version in the shared history: who wrote it, when, with what, and the archive it wrote.
/// Read from the storage, so every field is checked and bounded before it is believed.
public struct HistoryEntry: Equatable, Sendable {
    /// Grows by one with every version; the ID is `v` and this number.
    public let sequence: UInt64
    public let time: Int64
    /// The writer's host_id in hosted-engine.conf, when it has one.
    public let hostId: UInt64?
    public let hostname: String
    /// The user, and `sudo_user=` the one behind sudo, as the audit log names them.
    public let user: String
    /// The command, without values (a value may be a secret).
    public let command: String
    /// `TYPE KEY` for each key the write changed.
    public let keys: [String]
    /// The archive this one replaced, nil when there was none to read.
    public let base: Checksum?
    public let checksum: Checksum
    public let length: Int

    public var id: String { "v\(sequence)" }

    public init(
        sequence: UInt64, time: Int64, hostId: UInt64?, hostname: String, user: String, command: String, keys: [String],
        base: Checksum?, checksum: Checksum, length: Int
    ) {
        self.sequence = sequence
        self.time = time
        self.hostId = hostId
        self.hostname = hostname
        self.user = user
        self.command = command
        self.keys = keys
        self.base = base
        self.checksum = checksum
        self.length = length
    }

    static let magic = Array("HE-CONF-HISTORY1\n".utf8)
    static let headerSize = 4096
    /// Bounds on what a header may say: a longer field is cut, a larger list refused.
    static let textLimit = 256
    static let keyLimit = 200
    static let sequenceLimit: Int64 = 1 << 48
    static let timeLimit: Int64 = 1 << 40

    /// The header's line of JSON, as written and read (Codable over FoundationEssentials: the
    /// static release binary links no full Foundation).
    private struct Fields: Codable {
        var sequence: Int64
        var time: Int64
        var hostId: Int64?
        var hostname: String
        var user: String
        var command: String
        var keys: [String]
        var base: String?
        var checksum: String
        var length: Int

        enum CodingKeys: String, CodingKey {
            case sequence, time, hostname, user, command, keys, base, checksum, length
            case hostId = "host_id"
        }
    }

    /// The header block: the magic line, one line of JSON, and the SHA-256 of both.
    func header() -> [UInt8] {
        var fields = Fields(
            sequence: Int64(sequence), time: time, hostId: hostId.map { Int64($0) }, hostname: Self.bounded(hostname),
            user: Self.bounded(user), command: Self.bounded(command), keys: Array(keys.prefix(Self.keyLimit).map { Self.bounded($0) }),
            base: base?.hex, checksum: checksum.hex, length: length)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var json: [UInt8] = []
        // Keys are dropped from the end until the header fits its block.
        repeat {
            json = (try? encoder.encode(fields)).map { Array($0) } ?? []
            if Self.magic.count + json.count + 1 + 7 + 64 + 1 <= Self.headerSize || fields.keys.isEmpty { break }
            fields.keys.removeLast()
        } while true
        var bytes = Self.magic + json + Array("\n".utf8)
        bytes += Array("check=\(Checksum(of: bytes).hex)\n".utf8)
        return bytes + [UInt8](repeating: 0, count: max(0, Self.headerSize - bytes.count))
    }

    /// The entry a header block holds, or nil when it holds none, or a damaged one.
    init?(header block: [UInt8]) {
        guard block.count == Self.headerSize, Array(block.prefix(Self.magic.count)) == Self.magic else { return nil }
        let used = block.prefix { $0 != 0 }
        let lines = used.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count >= 3, let checkLine = String(validating: lines[2], as: UTF8.self), checkLine.hasPrefix("check=") else {
            return nil
        }
        let signed = Array(used.prefix(Self.magic.count + lines[1].count + 1))
        // Bounded, so that no arithmetic on them can overflow (the next sequence, a time printed).
        guard Checksum(of: signed).hex == checkLine.dropFirst("check=".count),
            let fields = try? JSONDecoder().decode(Fields.self, from: Data(lines[1])),
            (1...Self.sequenceLimit).contains(fields.sequence), (0...Self.timeLimit).contains(fields.time),
            fields.keys.count <= Self.keyLimit, let checksum = Self.checksum(fields.checksum),
            fields.length >= 0, fields.length <= SharedHistory.slotSize - Self.headerSize
        else { return nil }
        let hostId = fields.hostId.flatMap { (1...2000).contains($0) ? UInt64($0) : nil }
        self.init(
            sequence: UInt64(fields.sequence), time: fields.time, hostId: hostId, hostname: Self.bounded(fields.hostname),
            user: Self.bounded(fields.user), command: Self.bounded(fields.command), keys: fields.keys.map { Self.bounded($0) },
            base: fields.base.flatMap(Self.checksum), checksum: checksum, length: fields.length)
    }

    private static func bounded(_ text: String) -> String {
        text.count <= textLimit ? text : String(text.prefix(textLimit)) + "…"
    }

    private static func checksum(_ hex: String) -> Checksum? {
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        return Checksum(
            digestBytes: stride(from: 0, to: 64, by: 2).map { offset in
                let start = hex.index(hex.startIndex, offsetBy: offset)
                return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
            })
    }
}
