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

    /// What a failure says about the bytes read, so that callers can explain it without
    /// matching libarchive's wording (which lives here, beside the calls that produce it).
    public enum Damage: Equatable, Sendable {
        /// The bytes do not start with a tar header.
        case notAnArchive
        /// A member runs past the end of the bytes.
        case truncated
        /// A header's checksum does not match, or there is garbage where a header should be.
        case damagedHeader
    }

    /// The damage libarchive reported, when it reported one of the kinds in `Damage`.
    public var damage: Damage? {
        guard case let .libarchive(_, _, _, message) = self else { return nil }
        if message.contains("Unrecognized archive format") { return .notAnArchive }
        if message.contains("Truncated") || message.contains("truncated") { return .truncated }
        if message.contains("checksum") || message.contains("Damaged") { return .damagedHeader }
        return nil
    }

    /// The errno of a failed system call, if that is what went wrong.
    public var systemErrno: Int32? {
        if case let .io(_, code) = self { return code }
        return nil
    }

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
