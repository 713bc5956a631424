import Glibc

/// Why a working directory (a checkout, a download's folder, an edit's private copy) cannot be
/// used; `description` words it in one place, saying what to do.
public enum WorkingDirectoryProblem: Equatable, Sendable, CustomStringConvertible {
    /// `action`: what was asked (check out, download), said in the fix.
    case notADirectory(action: String)
    case notEmpty(action: String)
    /// Another user's, or writable by others: what is put there could be changed.
    case notPrivate(owner: UInt32, action: String)
    case parentNotCreated(errno: Int32)
    case notCreated(errno: Int32)
    case notReplaced(errno: Int32)
    case notWritable(errno: Int32)
    /// `why`: the archive library's words.
    case unsafeArchive(why: String)
    case notACheckout(statePath: String)
    case damagedState(statePath: String)
    case baseUnreadable(path: String)
    case baseDoesNotMatch(path: String, recorded: String)
    case fileNotWritten(name: String, errno: Int32)
    case fileNotUpdatedAfterPush(name: String, errno: Int32)
    case metadataNotWritten(folder: String, errno: Int32)
    case ovfRecordDamaged
    case noOvf

    // A folder an OVF_STORE was downloaded into.
    case notADownload(statePath: String)
    case damagedDownloadState(statePath: String)
    case notListable(errno: Int32)
    /// `name`: as found in the folder, escaped when said.
    case notARegularFile(name: String)
    case notAnOvfStoreMember(name: String)
    case notAmongStores(volumePath: String, stores: [String])
    case lacksEngineOvf(member: String)
    case fileUnreadable(name: String)
    case fileNotUTF8(name: String)
    /// `problem`: what reconciling the engine VM's OVF found.
    case engineOvfProblem(name: String, problem: String)
    case engineOvfNotRestated(name: String)

    public var description: String {
        switch self {
        case let .notADirectory(action): return "it exists and is not a directory; \(action) into a new directory"
        case let .notEmpty(action): return "it already exists and is not empty; \(action) into a new directory"
        case let .notPrivate(owner, action):
            return
                "it belongs to uid \(owner) or others may write in it, so what is put there could be changed; \(action) into a new directory"
        case let .parentNotCreated(code): return "its folder cannot be created (\(Self.words(code)))"
        case let .notCreated(code): return "it cannot be created (\(Self.words(code)))"
        case let .notReplaced(code): return "it cannot be replaced (\(Self.words(code)))"
        case let .notWritable(code): return "it cannot be written (\(Self.words(code)))"
        case let .unsafeArchive(why): return "the archive cannot be extracted safely (\(why))"
        case let .notACheckout(statePath):
            return "it is not a checkout (\(statePath) cannot be read); make one with hosted-engine --checkout-config DIR"
        case let .damagedState(statePath): return "\(statePath) is damaged; check out again"
        case let .baseUnreadable(path): return "\(path) cannot be read; check out again"
        case let .baseDoesNotMatch(path, recorded): return "\(path) does not match the recorded base \(recorded); check out again"
        case let .fileNotWritten(name, code): return "\(name) cannot be written (\(Self.words(code)))"
        case let .fileNotUpdatedAfterPush(name, code):
            return "\(name) cannot be updated after the push (\(Self.words(code))); check out again"
        case let .metadataNotWritten(folder, code): return "its \(folder) folder cannot be written (\(Self.words(code)))"
        case .ovfRecordDamaged: return "its OVF record (ovf-stores, base.ovf) is damaged; check out again"
        case .noOvf: return "it has no OVF"
        case let .notADownload(statePath):
            return "it holds no downloaded OVF_STORE (\(statePath) cannot be read); make one with hosted-engine --download-ovf-store DIR"
        case let .damagedDownloadState(statePath): return "\(statePath) is damaged; download again"
        case let .notListable(code): return "it cannot be listed (\(Self.words(code)))"
        case let .notARegularFile(name):
            return "\(DisplayText.printable(name)) is not a regular file; an OVF_STORE holds only files, so move it out of the directory"
        case let .notAnOvfStoreMember(name):
            return
                "\(DisplayText.printable(name)) is not an OVF_STORE member (<vm-id>.ovf, info.json, metadata.json); move it out of the directory"
        case let .notAmongStores(volumePath, stores):
            return
                "it was downloaded from \(volumePath), which is not among the OVF_STORE copies found (\(stores.joined(separator: ", "))); pass --ovf-store \(DisplayText.shellWord(volumePath))"
        case let .lacksEngineOvf(member):
            return
                "it lacks \(member), the engine VM's OVF, without which the HA agents cannot start the engine VM; restore the file, or upload with --force"
        case let .fileUnreadable(name): return "\(name) cannot be read"
        case let .fileNotUTF8(name): return "\(name) is not UTF-8 text"
        case let .engineOvfProblem(name, problem): return "\(name), the engine VM's OVF: \(problem); fix it, or upload with --force"
        case let .engineOvfNotRestated(name):
            return
                "\(name), the engine VM's OVF, does not restate its changed vm keys everywhere (captions, the embedded libvirt XML); set them with --set-shared-config KEY VALUE --type vm, or upload with --force"
        }
    }

    private static func words(_ code: Int32) -> String { String(cString: strerror(code)) }
}
