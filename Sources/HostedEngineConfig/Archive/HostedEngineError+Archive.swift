import ArchiveKit

extension HostedEngineError {
    /// What a tar stream that could not be read means for the administrator: `origin` (a
    /// volume, an upload) holds no usable archive, or could not be read at all.
    static func unreadableArchive(_ origin: String, _ error: ArchiveError) -> HostedEngineError {
        if let code = error.systemErrno {
            return .io(path: origin, operation: "read the configuration volume", errno: code)
        }
        let reason: String
        switch (error.damage, error) {
        case (.notAnArchive?, _):
            reason = "it does not start with a tar header"
        case (.truncated?, _):
            reason = "the archive is truncated (a member runs past the end of the volume)"
        case (.damagedHeader?, _):
            reason = "a tar header is damaged (its checksum does not match, or there is garbage where a header should be)"
        case let (nil, .entryTooLarge(path, size, limit)):
            reason = "member '\(DisplayText.printable(path))' claims \(size) bytes, more than the \(limit) a configuration file may hold"
        default:
            reason = error.description
        }
        return .archiveInvalid(path: origin, reason: reason)
    }
}
