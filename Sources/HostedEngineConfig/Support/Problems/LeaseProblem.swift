/// Why a write has no sanlock lease to take, or lost the one it held; `description` words it
/// in one place (said under --verbose, in the refusal on block storage, or when it was lost).
public indirect enum LeaseProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The lockspace this volume's lease lives in was not named (a volume given without a host's
    /// hosted-engine.conf).
    case noLockspaceNamed
    case noHostedEngineConf(lockspace: String)
    /// `path`: the hosted-engine.conf without a host_id from 1 to 2000.
    case noHostId(path: String)
    /// The lockspace's volume cannot be found: what finding it said.
    case lockspaceVolumeNotFound(HostedEngineError)
    /// `why`: the dynamic loader's words.
    case libraryNotLoaded(why: String)
    case volumeTooSmall(path: String)
    /// `why`: sanlock's words for its answer.
    case noDaemon(why: String)
    /// SIGTERM: the lockspace is being left, as when ovirt-ha-agent stops.
    case stopRequested(lockspace: String)
    case daemonStopped

    public var description: String {
        switch self {
        case .noLockspaceNamed: return "no sanlock lockspace was named for this volume"
        case let .noHostedEngineConf(lockspace): return "there is no hosted-engine.conf on this host to name the \(lockspace) lockspace"
        case let .noHostId(path): return "\(path) has no host_id from 1 to 2000"
        case let .lockspaceVolumeNotFound(error): return "\(error)"
        case let .libraryNotLoaded(why): return "libsanlock cannot be loaded: \(why)"
        case let .volumeTooSmall(path): return "\(path) is too small to hold a lease"
        case let .noDaemon(why): return "no sanlock daemon answers on this host (\(why))"
        case let .stopRequested(lockspace):
            return
                "sanlock, or someone, asked this process to stop (SIGTERM): the \(lockspace) lockspace is being left, as when ovirt-ha-agent stops"
        case .daemonStopped: return "the sanlock daemon on this host stopped"
        }
    }
}
