/// Why a backup named to restore cannot be used: each case says what was found;
/// `description` words it, with the fix, in one place.
public enum BackupProblem: Equatable, Sendable, CustomStringConvertible {
    case notABackupName
    case unknownKind(String)
    case noMatch(folder: String)
    case severalMatch(Int, folder: String)
    case notARegularFile
    case checksumMismatch
    /// Its `.origin` names a place this host's configuration does not (`expected`, `what`).
    case originElsewhere(String, what: String, expected: String?, option: String)
    case severalOvfStores(Int)
    case ovfStoreOriginUnknown

    public var description: String {
        switch self {
        case .notABackupName:
            return
                "its name is not one of a backup (KIND-TIME-SHA256.tar or .conf, as --list-backups shows); give the path of a backup --list-backups lists"
        case let .unknownKind(kind):
            return
                "it is a backup of kind \(DisplayText.printable(kind)), which this version does not know; restore a backup of kind he-conf, ovf-store, he-local or ha-conf"
        case let .noMatch(folder):
            return
                "no backup in \(folder) has this id or name; give the id as hosted-engine --list-backups shows it (12 hex digits), or the backup's path"
        case let .severalMatch(count, folder):
            return
                "\(count) backups in \(folder) match it; give the id as hosted-engine --list-backups shows it (12 hex digits), or the backup's path"
        case .notARegularFile:
            return "it is not a regular file; give the path of a backup --list-backups lists"
        case .checksumMismatch:
            return
                "its content does not match the checksum in its name, so it was changed or damaged after it was saved; nothing was restored; restore another backup (hosted-engine --list-backups)"
        case let .originElsewhere(origin, what, expected, option):
            return
                "its .origin names \(DisplayText.printable(origin)), which is not \(what)\(expected.map { " (\($0))" } ?? ""); nothing was restored; name where it goes with \(option)"
        case let .severalOvfStores(count):
            return "a backup goes to one OVF_STORE copy, and \(count) were named; name one with --ovf-store PATH"
        case .ovfStoreOriginUnknown:
            return
                "the backup does not record which OVF_STORE copy it came from (it was saved before 0.11); name the copy with --ovf-store PATH (hosted-engine --get-all-config --type vm lists them on stderr)"
        }
    }
}
