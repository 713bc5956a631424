/// Why vdsm could not be asked through `vdsm-client`, or what it answered instead. What vdsm
/// said is kept escaped; `description` words it in one line.
public enum VdsmProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case clientNotOnPath
    /// `why`: what stopped the child process (a timeout, a failed exec).
    case clientCannotRun(why: String)
    /// `said`: the last line vdsm-client wrote to its standard error.
    case callFailed(call: String, status: Int32, said: String)
    case unreadableResult(call: String)
    case pathOutsideStorage(String)

    public var description: String {
        switch self {
        case .clientNotOnPath: return "vdsm-client is not on PATH (it comes with vdsm-client, on every oVirt host)"
        case let .clientCannotRun(why): return "vdsm-client cannot be run (\(why))"
        case let .callFailed(call, status, said):
            return "vdsm-client \(call) failed (exit \(status)\(said.isEmpty ? "" : ": " + DisplayText.printable(said)))"
        case let .unreadableResult(call): return "vdsm-client \(call) printed something that is not its result"
        case let .pathOutsideStorage(path): return "vdsm answered a path outside its storage folders (\(DisplayText.printable(path)))"
        }
    }
}
