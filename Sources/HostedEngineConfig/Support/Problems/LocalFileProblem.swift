import Glibc

/// Why one of this host's configuration files cannot be used or written: each case says what
/// was found; `description` words it, with the fix, in one place. `option` names the setting
/// that points at the file (`HE_HA_CONF`, `--he-conf FILE`).
public enum LocalFileProblem: Equatable, Sendable, CustomStringConvertible {
    case recordNotWritten(why: String)
    case stoppedPartWay(why: String)
    case recordRemovalNotDurable(why: String)
    case interruptedWriteNotCompleted(at: Int64, why: String)
    case notARegularFile(option: String)
    case notRootsOrVdsms(owner: uid_t, path: String, option: String)
    case tooLarge(option: String)
    case link(option: String)
    case cannotOpenForWriting(errno: Int32)
    case cannotRead(errno: Int32, option: String)

    public var description: String {
        switch self {
        case let .recordNotWritten(why):
            return
                "the record of the write cannot be put beside it (\(why)); it was left as it was; check the folder's permissions and free space, then run the command again"
        case let .stoppedPartWay(why):
            return
                "the write stopped part way (\(why)); the record beside it lets the next command complete it; check the disk, then run any command that reads the file"
        case let .recordRemovalNotDurable(why):
            return
                "the change is written and on the disk, but the removal of its record beside it could not be made durable (\(why)); check the disk; the next command that reads the file finds the change done and drops the record"
        case let .interruptedWriteNotCompleted(time, why):
            return
                "a write cut short at \(TimeText.readable(time)) cannot be completed (\(why)); check the disk, then run the command again"
        case let .notARegularFile(option):
            return "it is not a regular file; point \(option) at the file itself"
        case let .notRootsOrVdsms(owner, path, option):
            return
                "it belongs to uid \(owner), not to root or vdsm as oVirt leaves it; give it back (chown vdsm:kvm \(path)), or point \(option) at this host's file"
        case let .tooLarge(option):
            return "it is larger than 1 MiB, so it is not a configuration file; point \(option) at the right file"
        case let .link(option):
            return
                "it is a symbolic link, which this tool does not follow (whoever owns the folder could point it at any file); put the file itself there, or point \(option) at it"
        case let .cannotOpenForWriting(code):
            return
                "it cannot be opened for writing (\(String(cString: strerror(code)))); run as root, who writes it as upstream's tool does"
        case let .cannotRead(code, option):
            return
                "it cannot be read (\(String(cString: strerror(code)))); point \(option) at this host's file, or run as a user who can read it"
        }
    }
}
