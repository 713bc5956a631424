import Glibc

/// The record of an in-place write to one of this host's files, kept beside it
/// (`.NAME.hosted-engine-journal`) from before the first byte is written until the file is
/// fsynced: the old bytes and the new, so that the next command can tell a write cut short (the
/// file holds the new bytes' start over the old ones) from a change another writer made since,
/// and complete only the first.
struct LocalWriteRecord: Equatable {
    static let magic = "hosted-engine-local-journal 1"

    let old: [UInt8]
    let new: [UInt8]
    /// Seconds since the epoch, when the write began.
    let time: Int64

    /// Where the record of `target`'s write lives.
    static func path(for target: String) -> String {
        let name = target.split(separator: "/").last.map(String.init) ?? target
        return LocalFile.parent(of: target) + "/." + name + ".hosted-engine-journal"
    }

    var bytes: [UInt8] {
        let header = "\(Self.magic) \(time) \(old.count) \(new.count) \(Checksum(of: old + new).hex)\n"
        return Array(header.utf8) + old + new
    }

    /// The record in `bytes`, or nil when they are not a whole one (a record is written whole,
    /// renamed into place, so anything else was never one).
    init?(bytes: [UInt8]) {
        guard let newline = bytes.firstIndex(of: 10), newline < 256 else { return nil }
        let fields = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ")
        guard fields.count == 6, "\(fields[0]) \(fields[1])" == Self.magic, let time = Int64(fields[2]), let oldCount = Int(fields[3]),
            let newCount = Int(fields[4]), oldCount >= 0, newCount >= 0, bytes.count - newline - 1 == oldCount + newCount
        else { return nil }
        let body = Array(bytes[(newline + 1)...])
        guard Checksum(of: body).hex == fields[5] else { return nil }
        self.init(old: Array(body[..<oldCount]), new: Array(body[oldCount...]), time: time)
    }

    init(old: [UInt8], new: [UInt8], time: Int64) {
        self.old = old
        self.new = new
        self.time = time
    }

    /// What a file holding `current` is to this record.
    enum Finding: Equatable {
        /// The new bytes: the write ended.
        case complete
        /// The old bytes, or the new bytes' start written over them: the write was cut short.
        case interrupted
        /// Neither: another writer changed the file since (vdsm, upstream's tool).
        case changedSince
    }

    func finding(_ current: [UInt8]) -> Finding {
        if current == new { return .complete }
        // One pwrite of the new bytes at 0, then a truncate: after k bytes the file is
        // new[..<k] + old[k...], as long as the longer of the two.
        var prefix = 0
        while prefix < min(current.count, new.count), current[prefix] == new[prefix] { prefix += 1 }
        guard current.count == max(old.count, prefix) else { return .changedSince }
        let oldRest = old.count > prefix ? Array(old[prefix...]) : []
        return Array(current[prefix...]) == oldRest ? .interrupted : .changedSince
    }
}
