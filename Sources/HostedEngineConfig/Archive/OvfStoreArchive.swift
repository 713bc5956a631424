import ArchiveKit

/// The rules of an OVF_STORE volume's archive (`info.json`, one `<vm-uuid>.ovf` per VM,
/// sometimes `metadata.json`), which `OvfStoreImage` reads and `OvfStoreSplice` rewrites
/// without holding it: its limits, its record size and which members this tool handles.
enum OvfStoreArchive {
    static let backupKind = "ovf-store"
    static let limits = TarArchive.Limits(maximumMembers: 100_000, maximumMemberSize: 64 << 20)
    static let maximumBytesRead: Int64 = 1 << 30
    /// The engine writes OVF_STOREs in 10240-byte records (commons-compress's default).
    static let engineRecordSize = 10240

    /// A member this tool can extract and write back: a regular file, named once, in UTF-8,
    /// inside the archive.
    static func check(_ entry: TarEntry, seen: inout Set<[UInt8]>, origin: String) throws {
        let shown = DisplayText.printable(entry.path)
        guard entry.pathIsUTF8, entry.warnings.isEmpty, seen.insert(entry.pathBytes).inserted,
            !entry.path.hasPrefix("/"), !entry.path.split(separator: "/").contains("..")
        else {
            throw HostedEngineError.archiveInvalid(
                path: origin, problem: .storeMemberName(shown))
        }
        guard entry.kind == .regular else {
            throw HostedEngineError.archiveInvalid(
                path: origin, problem: .storeMemberNotRegular(shown, kind: "\(entry.kind)"))
        }
    }
}
