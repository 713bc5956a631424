/// Why a key cannot be set, or keys cannot be set together; `description` words it in one place.
/// A rule's own words (`why`) come from the schema's table of keys.
public enum WriteRefusal: Equatable, Sendable, CustomStringConvertible {
    /// A key the tool reads but never sets: the schema's reason.
    case fixed(why: String)
    /// A key that names this host's identity or storage: the schema's reason, and that --force
    /// sets it anyway.
    case identity(why: String)
    /// A key of this host's file, which the shared history does not hold (`file`: where it is).
    case notInSharedHistory(file: String)
    /// A vm key among several: each vm set rewrites the OVF on every OVF_STORE copy.
    case vmKeyAmongOthers(key: String)
    /// Keys of different places (`placed`: each key with its place), which one write cannot change.
    case differentPlaces(placed: [String])

    public var description: String {
        switch self {
        case let .fixed(why): return why
        case let .identity(why): return why + "; if you are sure, pass --force to set it anyway"
        case let .notInSharedHistory(file):
            return
                "it is kept in \(file), not in the configuration archive the shared history holds; restore it from a local backup (hosted-engine --list-backups)"
        case let .vmKeyAmongOthers(key):
            return "\(key) is a vm key, and each vm set rewrites the engine VM's OVF on every OVF_STORE copy: set vm keys one at a time"
        case let .differentPlaces(placed):
            return
                "they live in different places (\(placed.joined(separator: ", "))), and one write changes one place: set them in one command per place"
        }
    }
}
