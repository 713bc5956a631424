import Glibc

/// Why a volume could not be found (the configuration volume, the OVF_STOREs, the engine VM):
/// each case says what was looked for and where, and `description` words it, with what to do,
/// in one place.
public enum LocatingProblem: Equatable, Sendable, CustomStringConvertible {
    /// No --volume or HE_CONF_VOLUME, and hosted-engine.conf cannot be read.
    case noConfAndNoVolume(conf: String, source: String, why: String)
    /// hosted-engine.conf, needed for what only it says, cannot be read.
    case confUnreadable(conf: String, source: String, why: String)
    /// `--volume PATH` or `HE_CONF_VOLUME` names nothing.
    case noVolumeAt(String, source: String, errno: Int32)
    /// hosted-engine.conf lacks a key that names the volume (`what`: "configuration volume").
    case keyNotSet(what: String, conf: String, key: String, storageRoot: String, alternative: String)
    /// A key that names the volume is not a plain name.
    case keyNotAName(what: String, conf: String, key: String, value: String, alternative: String)
    /// Neither vdsm's link, nor vdsm's Image.prepare, nor the file domain's mount has it.
    case notPrepared(what: String, link: String, missing: String, vdsm: VdsmProblem, prepare: String, alternative: String)
    case vmidNotSet(conf: String)
    case vmidNotAName(conf: String, value: String)
    case noOvfStoreAt(String, errno: Int32)
    case sdUUIDNotSet(conf: String)
    case noOvfStoreAndNoVdsm(root: String, vdsm: VdsmProblem)
    case noOvfStore(root: String)

    public var description: String {
        switch self {
        case let .noConfAndNoVolume(conf, source, why):
            return
                "No configuration volume: no --volume or HE_CONF_VOLUME, and \(conf) (\(source)) cannot be read (\(why)); pass --volume PATH, or point --he-conf at this host's hosted-engine.conf."
        case let .confUnreadable(conf, source, why):
            return "\(conf) (\(source)) cannot be read (\(why)); point --he-conf at this host's hosted-engine.conf."
        case let .noVolumeAt(path, source, code):
            return "No configuration volume at \(path) (from \(source)): \(String(cString: strerror(code))); check the path."
        case let .keyNotSet(what, conf, key, storageRoot, alternative):
            return "No \(what): \(conf) does not set \(key), so it cannot be found under \(storageRoot); \(alternative)."
        case let .keyNotAName(what, conf, key, value, alternative):
            return "No \(what): \(key) in \(conf) is '\(DisplayText.printable(value))', which is not a UUID; fix \(conf) or \(alternative)."
        case let .notPrepared(what, link, missing, vdsm, prepare, alternative):
            return
                "No \(what) at \(link) (\(missing)), and vdsm did not prepare it (\(vdsm)); is the storage domain connected on this host? Prepare it with \(prepare), or \(alternative)."
        case let .vmidNotSet(conf):
            return
                "The engine VM is unknown: \(conf) does not set vmid, so its OVF (<vmid>.ovf) cannot be found; point --he-conf at this host's hosted-engine.conf."
        case let .vmidNotAName(conf, value):
            return "vmid in \(conf) is '\(DisplayText.printable(value))', which is not a UUID; fix \(conf)."
        case let .noOvfStoreAt(path, code):
            return "No OVF_STORE at \(path): \(String(cString: strerror(code))); check the path."
        case let .sdUUIDNotSet(conf):
            return "No OVF_STORE: \(conf) does not set sdUUID, so the storage domain cannot be scanned; pass --ovf-store PATH."
        case let .noOvfStoreAndNoVdsm(root, vdsm):
            return
                "No OVF_STORE found: no .meta under \(root)/*/ describes one, and vdsm could not be asked (\(vdsm)); is the storage domain connected? Pass --ovf-store PATH."
        case let .noOvfStore(root):
            return
                "No OVF_STORE found: no .meta under \(root)/*/ describes one (\"Disk Description\":\"OVF_STORE\"), nor does any volume vdsm lists in the domain; is the storage domain connected? Pass --ovf-store PATH."
        }
    }
}
