import ArchiveKit

extension HostedEngineError {
    /// What a tar stream that could not be read means for the administrator: `origin` (a
    /// volume, an upload) holds no usable archive, or could not be read at all.
    static func unreadableArchive(_ origin: String, _ error: ArchiveError) -> HostedEngineError {
        if let code = error.systemErrno {
            return .io(path: origin, operation: "read the configuration volume", errno: code)
        }
        let problem: ArchiveProblem
        switch (error.damage, error) {
        case (.notAnArchive?, _): problem = .notATarStream
        case (.truncated?, _): problem = .truncated
        case (.damagedHeader?, _): problem = .damagedHeader
        case let (nil, .entryTooLarge(path, size, limit)):
            problem = .memberTooLarge(member: DisplayText.printable(path), size: size, limit: Int64(limit))
        default: problem = .unreadable(DisplayText.printable(error.description))
        }
        return .archiveInvalid(path: origin, problem: problem)
    }
}
