/// What `--verify-storage` found: each volume as stored, this host's hosted-engine.conf against
/// the shared one, and every problem, each named with its fix. Printed as text or JSON.
public struct StorageReport: Sendable {
    /// One member of an archive, as its tar header says.
    public struct Member: Sendable {
        public let name: String
        public let size: Int64
        public let mode: UInt32
        public let uid: Int64
        public let gid: Int64
        public let userName: String?
        public let groupName: String?
        public let modificationTime: Int64
    }

    /// The archive at a volume's offset 0.
    public struct Archive: Sendable {
        /// As stored: through the record that holds the end-of-archive marker.
        public let storedBytes: Int
        public let recordSize: Int
        public let checksum: Checksum
        public let members: [Member]
    }

    /// The configuration volume or an OVF_STORE copy.
    public struct CheckedVolume: Sendable {
        public let path: String
        /// How it was found (configuration volume), or its `.meta`'s `Last Updated` (OVF_STORE).
        public let origin: String?
        public let size: Int64?
        public let facts: StoredFileFacts?
        public let journal: JournalInspection?
        /// Nil when it could not be read as an archive (a problem says why).
        public let archive: Archive?
        /// OVF_STORE: the copy with the newest `Last Updated`, which this tool reads.
        public let isNewest: Bool
        /// The configuration volume: its shared history.
        public var history: History? = nil
    }

    /// The configuration volume's shared history.
    public struct History: Sendable {
        public let location: SharedHistory.Location
        /// Newest first.
        public let versions: [HistoryEntry]
        /// The version the volume holds, when one does.
        public let current: UInt64?
        public let damagedSlots: Int
        public let notCompleted: String?
        public let pending: String?
    }

    /// A key whose value this host's hosted-engine.conf and the volume's differ on.
    public struct KeyDifference: Sendable {
        public let key: String
        public let local: String?
        public let shared: String?
        /// host_id: each host has its own.
        public let isExpected: Bool
        public let isSecret: Bool
    }

    /// This host's hosted-engine.conf against the archive's.
    public struct HostedEngineConfComparison: Sendable {
        public let localPath: String
        public let differences: [KeyDifference]
    }

    public internal(set) var configurationVolume: CheckedVolume?
    public internal(set) var ovfStores: [CheckedVolume] = []
    /// The engine VM's OVF member (`<vmid>.ovf`), when the VM is known.
    public internal(set) var engineOvfMember: String?
    /// Its checksum when every copy holds the same; nil when they differ or none could be read.
    public internal(set) var agreedEngineOvf: Checksum?
    /// Members other than the engine VM's OVF and info.json that differ between copies.
    public internal(set) var otherMembersDiffering: [String] = []
    public internal(set) var hostedEngineConf: HostedEngineConfComparison?
    /// What could not be checked, and why (not problems in themselves).
    public internal(set) var notes: [String] = []
    /// Everything wrong, one line each with its fix.
    public internal(set) var problems: [String] = []
    /// The fix of a problem (by its index in `problems`) as commands to run in order, where it
    /// is one: `hosted-engine ...` or a shell line. `DIR` stands for a new folder of the caller's.
    public internal(set) var fixes: [Int: [String]] = [:]

    /// Adds a problem, and its fix as commands when it has one.
    mutating func add(_ problem: String, fix: [String] = []) {
        problems.append(problem)
        if !fix.isEmpty { fixes[problems.count - 1] = fix }
    }

    public var isHealthy: Bool { problems.isEmpty }
}
