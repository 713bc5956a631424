import CArchive
import Glibc

/// Every libarchive failure becomes an `ArchiveError` here, and nowhere else.
extension ArchiveError {
    /// A new libarchive handle (`archive_read_new`, `archive_entry_new`, ...); a nil one means
    /// libarchive could not allocate it.
    static func handle(_ function: String, _ make: () -> OpaquePointer?) throws -> OpaquePointer {
        guard let handle = make() else {
            throw ArchiveError.libarchive(operation: function, status: ARCHIVE_FATAL, errno: ENOMEM, message: "out of memory")
        }
        return handle
    }

    /// What libarchive recorded on `archive` when `operation` returned `status`.
    static func libarchive(_ archive: OpaquePointer, _ operation: String, status: Int32) -> ArchiveError {
        .libarchive(operation: operation, status: status, errno: archive_errno(archive), message: message(of: archive) ?? "")
    }

    /// libarchive's last message on `archive`, if it left one.
    static func message(of archive: OpaquePointer) -> String? {
        archive_error_string(archive).map { String(cString: $0) }
    }
}
