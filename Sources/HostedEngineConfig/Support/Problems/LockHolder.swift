/// Who holds a lock a writer waited for in vain, as far as this host can see.
public enum LockHolder: Equatable, Sendable, CustomStringConvertible {
    /// A process of this host (found in /proc/PID/fdinfo): its pid and command line.
    case process(pid: Int32, command: String)
    /// Another host holds the sanlock lease: its host_id in the lockspace.
    case host(id: UInt64)

    public var description: String {
        switch self {
        case let .process(pid, command):
            return "held by process \(pid) on this host (\(DisplayText.printable(command)))"
        case let .host(id):
            return "the sanlock lease is held by host \(id) (host_id in its hosted-engine.conf)"
        }
    }
}
