/// Why a configuration archive, an OVF_STORE's archive or an uploaded archive cannot be used:
/// each case says what was found; `description` words it in one place. Names read from the
/// storage are kept as printed (escaped), never raw.
public enum ArchiveProblem: Equatable, Sendable, CustomStringConvertible {
    // The tar stream itself.
    case empty
    case notATarStream
    case truncated
    case damagedHeader
    case memberTooLarge(member: String, size: Int64, limit: Int64)
    /// libarchive's own words, for what has no case here.
    case unreadable(String)

    // The members of the configuration archive.
    case memberNameNotUTF8(String)
    case memberWarning(String, warning: String)
    case duplicateMember(String)
    case memberOutside(String)
    case memberNotRegular(String, kind: String)
    case unexpectedMember(String, expected: [String])
    case lacksMembers([String], held: [String])
    case lacksMember(String)

    // An OVF_STORE.
    case storeEmpty
    case storeMemberName(String)
    case storeMemberNotRegular(String, kind: String)
    case storeMemberNotPlain(String)
    case storeLacksMember(String)
    /// The engine VM's OVF, named by vmid in hosted-engine.conf, is not in the store.
    case storeLacksEngineOvf(String)
    case memberCannotBeAdded(String, why: String)

    // An archive given to upload.
    case uploadTooLarge(limitMiB: Int64)
    case uploadNotRegular
    case uploadNotGzip(String)

    public var description: String {
        switch self {
        case .empty: return "it is empty (the first block is zeros)"
        case .notATarStream: return "it does not start with a tar header"
        case .truncated: return "the archive is truncated (a member runs past the end of the volume)"
        case .damagedHeader:
            return "a tar header is damaged (its checksum does not match, or there is garbage where a header should be)"
        case let .memberTooLarge(member, size, limit):
            return "member '\(member)' claims \(size) bytes, more than the \(limit) a configuration file may hold"
        case let .unreadable(words): return words
        case let .memberNameNotUTF8(name): return "member name '\(name)' is not UTF-8"
        case let .memberWarning(name, warning): return "member '\(name)': \(warning)"
        case let .duplicateMember(name): return "member '\(name)' appears more than once"
        case let .memberOutside(name): return "member name '\(name)' points outside the archive"
        case let .memberNotRegular(name, kind): return "member '\(name)' is a \(kind), but the archive holds only regular files"
        case let .unexpectedMember(name, expected):
            return
                "it holds an unexpected member '\(name)'; a configuration archive holds only \(expected.joined(separator: ", "))"
        case let .lacksMembers(missing, held):
            return "it lacks \(missing.joined(separator: ", ")) (it holds \(held.joined(separator: ", ")))"
        case let .lacksMember(name): return "it lacks \(name)"
        case .storeEmpty: return "the OVF_STORE is empty (the first block is zeros)"
        case let .storeMemberName(name):
            return "the OVF_STORE's member '\(name)' has a name that is not unique, not UTF-8 or points outside"
        case let .storeMemberNotRegular(name, kind): return "the OVF_STORE's member '\(name)' is a \(kind), not a regular file"
        case let .storeMemberNotPlain(name):
            return "the OVF_STORE's member '\(name)' is in a folder, hidden or too long to be a file of the download"
        case let .storeLacksMember(name): return "the OVF_STORE holds no \(name)"
        case let .storeLacksEngineOvf(name): return "the OVF_STORE holds no \(name) (vmid from hosted-engine.conf)"
        case let .memberCannotBeAdded(name, why): return "\(name) cannot be added (\(why))"
        case let .uploadTooLarge(limitMiB): return "the file is larger than \(limitMiB) MiB"
        case .uploadNotRegular: return "it is not a regular file"
        case let .uploadNotGzip(why): return "it is not a readable gzip file (\(why))"
        }
    }
}
