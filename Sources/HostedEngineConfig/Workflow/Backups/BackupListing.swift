/// `--list-backups`: each backup in one line of at most 120 columns (time, kind, a short id
/// that `--restore-backup` takes, size, where it came from, and how it differs from what is
/// there now), or as JSON with all of it.
public struct BackupListing: Sendable {
    public static let width = 120
    public static let header =
        "TIME                     KIND       ID            SIZE      FROM                DIFFERS FROM WHAT IS THERE NOW"

    public struct Entry: Sendable {
        public let backup: BackupStore.Backup
        /// `same`, the keys or files that differ, or why it could not be compared.
        public let difference: String

        /// The first 12 hex digits of its checksum.
        public var id: String { String(backup.checksum.dropFirst("sha256:".count).prefix(12)) }

        public var line: String {
            let size =
                backup.size >= 1 << 20 ? "\(backup.size >> 20) MiB" : backup.size >= 10240 ? "\(backup.size >> 10) KiB" : "\(backup.size) B"
            let head = [
                TimeText.readable(backup.time), pad(backup.kind, 9), id, pad(size, 8), pad(BackupListing.origin(of: backup), 18),
            ].joined(separator: "  ")
            let room = BackupListing.width - head.count - 2
            let shown = difference.count > room ? String(difference.prefix(room - 1)) + "…" : difference
            return head + "  " + shown
        }

        public var json: JSONText {
            guard case let .object(fields) = backup.json else { return backup.json }
            return .object(fields + [("id", .string(id)), ("differs", .string(difference))])
        }

        private func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
    }

    public let schema: Schema

    public init(schema: Schema = .standard) {
        self.schema = schema
    }

    /// The backups of `store`, oldest first, each compared with what its origin holds now.
    public func entries(of store: BackupStore, locator: VolumeLocator) throws -> [Entry] {
        let restore = BackupRestore(schema: schema)
        return try store.list().map { backup in
            Entry(backup: backup, difference: restore.difference(of: backup.path, locator: locator))
        }
    }

    /// Where a backup came from, short: `config volume`, `OVF_STORE 1d4e6c2a`, `hosted-engine.conf`.
    static func origin(of backup: BackupStore.Backup) -> String {
        guard let origin = backup.origin else { return "(not recorded)" }
        switch backup.kind {
        case "he-conf": return "config volume"
        case "ovf-store":
            let parts = origin.split(separator: "/")
            return "OVF_STORE " + DisplayText.printable(parts.dropLast().last.map { String($0.prefix(8)) } ?? "")
        default: return DisplayText.printable(String(origin.split(separator: "/").last ?? ""))
        }
    }
}
