import Glibc

/// Why an edit in the administrator's editor stopped before anything was written.
public enum EditAbort: Equatable, Sendable, CustomStringConvertible {
    /// Ctrl-C; `copyRemoved`: the edited copy held no change and was removed.
    case interrupted(copyRemoved: Bool)
    case editorFailed(status: Int32)
    case unreadable(file: String)
    case savedEmpty
    /// Saved again as it was refused, the problems shown at its top not fixed.
    case savedAgainUnfixed
    case notWritable(file: String, errno: Int32)

    public var description: String {
        switch self {
        case .interrupted(copyRemoved: true): return "interrupted (Ctrl-C); the edited copy held no change and was removed"
        case .interrupted(copyRemoved: false): return "interrupted (Ctrl-C)"
        case let .editorFailed(status): return "the editor exited with status \(status)"
        case let .unreadable(file): return "\(file) cannot be read back"
        case .savedEmpty: return "the file was saved empty"
        case .savedAgainUnfixed: return "the file was saved again without fixing the problems shown at its top"
        case let .notWritable(file, code): return "\(file) cannot be written (\(String(cString: strerror(code))))"
        }
    }
}
