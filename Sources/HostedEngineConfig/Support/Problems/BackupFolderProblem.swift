import Glibc

/// Why a backup cannot be saved in a folder: each case says what was found; `description`
/// words it in one place.
public enum BackupFolderProblem: Equatable, Sendable, CustomStringConvertible {
    case cannotLookAt(String, errno: Int32)
    case link(String)
    case notAFolder(String)
    case othersFolder(String, owner: uid_t)
    case writableByOthers(String, mode: mode_t)
    case changedWhileChecked(String)
    case cannotWrite(errno: Int32)

    public var description: String {
        switch self {
        case let .cannotLookAt(path, code): return "\(path) cannot be looked at (\(String(cString: strerror(code))))"
        case let .link(path): return "\(path) is a symbolic link, which could lead root's backups anywhere"
        case let .notAFolder(path): return "\(path) is not a folder, which could lead root's backups anywhere"
        case let .othersFolder(path, owner): return "\(path) belongs to uid \(owner), who could move the backups elsewhere"
        case let .writableByOthers(path, mode): return "\(path) may be written by group or others (mode \(String(mode & 0o777, radix: 8)))"
        case let .changedWhileChecked(path): return "\(path) changed while it was checked"
        case let .cannotWrite(code): return String(cString: strerror(code))
        }
    }
}
