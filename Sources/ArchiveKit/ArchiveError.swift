import Glibc

/// A failure reading or writing a tar stream. libarchive's own message and errno are carried
/// through so the caller can say what went wrong, not just that something did.
public enum ArchiveError: Error, Equatable, CustomStringConvertible, Sendable {
    /// libarchive returned a failure status from `operation`.
    case libarchive(operation: String, status: Int32, errno: Int32, message: String)
    /// A system call on the underlying file descriptor failed.
    case io(operation: String, errno: Int32)
    /// The bytes are not a tar stream this module can work with.
    case malformed(String)
    /// A member's data is larger than the caller allowed.
    case entryTooLarge(path: String, size: Int64, limit: Int64)
    /// The stream holds more bytes or members than the caller allowed.
    case limitExceeded(String)

    public var description: String {
        switch self {
        case let .libarchive(operation, _, code, message):
            let detail = message.isEmpty ? (code != 0 ? String(cString: strerror(code)) : "unknown error") : message
            return "\(operation): \(detail)"
        case let .io(operation, code):
            return "\(operation): \(String(cString: strerror(code)))"
        case let .malformed(why):
            return why
        case let .entryTooLarge(path, size, limit):
            return "member \(path) holds \(size) bytes, more than the \(limit) allowed"
        case let .limitExceeded(why):
            return why
        }
    }
}
