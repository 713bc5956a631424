import Glibc

/// The versions of the configuration archive every host shares, kept on the storage beside it:
/// in the configuration volume's unused space (32 MiB to 96 MiB of a volume of 128 MiB or
/// more: clear of the 20480 bytes oVirt reads, the lease at 8 MiB and the journal in the last
/// blocks), or in `VOLUME.hosted-engine-history` beside a smaller file volume.
///
/// A ring of 64 slots of 1 MiB; a version takes the slot after the newest, so the oldest is
/// dropped first. A slot is one header block (`HistoryEntry`) and the archive, written in one
/// write and fsynced under the volume's write lock; a slot cut short by a crash fails its
/// checksums and is passed over, and the versions in the other slots are untouched.
public struct SharedHistory {
    public static let slotSize = 1 << 20
    public static let slotCount = 64
    static let areaOffset: Int64 = 32 << 20
    static let minimumSizeInVolume: Int64 = 128 << 20

    public enum Location: Equatable, Sendable {
        case none
        case inVolume(offset: Int64)
        case sidecar(path: String)
    }

    /// The versions found, oldest first, and how many slots hold something damaged.
    public struct Listing: Sendable {
        public let entries: [HistoryEntry]
        public let damagedSlots: Int
        public var newest: HistoryEntry? { entries.last }
    }

    let volume: Volume

    public init(volume: Volume) {
        self.volume = volume
    }

    public var location: Location { volume.historyLocation }

    private func slotOffset(_ index: Int) -> Int64 {
        let base: Int64 = if case let .inVolume(offset) = location { offset } else { 0 }
        return base + Int64(index) * Int64(Self.slotSize)
    }

    /// Every version whose header and archive are whole.
    public func list() throws -> Listing {
        var entries: [HistoryEntry] = []
        var damaged = 0
        for index in 0..<Self.slotCount {
            guard let block = try volume.readHistory(count: HistoryEntry.headerSize, at: slotOffset(index)),
                block.count == HistoryEntry.headerSize, block.contains(where: { $0 != 0 })
            else { continue }
            guard let entry = HistoryEntry(header: block), Int(entry.sequence % UInt64(Self.slotCount)) == index,
                try archive(at: index, of: entry) != nil
            else {
                damaged += 1
                continue
            }
            entries.append(entry)
        }
        entries.sort { $0.sequence < $1.sequence }
        return Listing(entries: entries, damagedSlots: damaged)
    }

    /// The newest whole header, without reading the archives (a writer's question).
    func newestHeader() throws -> HistoryEntry? {
        var newest: HistoryEntry?
        for index in 0..<Self.slotCount {
            guard let block = try volume.readHistory(count: HistoryEntry.headerSize, at: slotOffset(index)),
                let entry = HistoryEntry(header: block), Int(entry.sequence % UInt64(Self.slotCount)) == index
            else { continue }
            if entry.sequence > newest?.sequence ?? 0 { newest = entry }
        }
        return newest
    }

    /// The archive `entry` wrote, when its slot still holds it whole.
    public func archive(of entry: HistoryEntry) throws -> [UInt8]? {
        try archive(at: Int(entry.sequence % UInt64(Self.slotCount)), of: entry)
    }

    private func archive(at index: Int, of entry: HistoryEntry) throws -> [UInt8]? {
        guard let block = try volume.readHistory(count: HistoryEntry.headerSize, at: slotOffset(index)),
            HistoryEntry(header: block) == entry,
            let bytes = try volume.readHistory(count: entry.length, at: slotOffset(index) + Int64(HistoryEntry.headerSize)),
            bytes.count == entry.length, Checksum(of: bytes) == entry.checksum
        else { return nil }
        return bytes
    }

    /// Writes `entry` (its sequence chosen by the caller from `list()`) and `archive` to their
    /// slot, and waits until they are on the storage. The caller holds the volume's write lock.
    func write(_ entry: HistoryEntry, archive: [UInt8]) throws {
        guard location != .none else { return }
        let index = Int(entry.sequence % UInt64(Self.slotCount))
        var bytes = entry.header() + archive
        bytes += [UInt8](repeating: 0, count: bytes.count.roundedUp(toMultipleOf: 4096) - bytes.count)
        try volume.writeHistory(bytes, at: slotOffset(index))
    }

    /// Whether an archive of `count` bytes fits a slot.
    public static func fits(_ count: Int) -> Bool { count <= slotSize - HistoryEntry.headerSize }
}
