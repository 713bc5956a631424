import CArchive
import Glibc

/// Extracts the regular-file members of a tar stream into a directory through libarchive's
/// disk writer, with its secure flags: no member is written through `..`, through a symbolic
/// link, or over an existing file.
public enum TarExtractor {
    /// Extracts every member of `bytes` into `directory` (which must exist) with mode
    /// `permissions`. Any member that is not a regular file with a plain relative name is
    /// refused before anything is written. Returns the names written.
    @discardableResult
    public static func extract(_ bytes: [UInt8], into directory: String, permissions: UInt32) throws -> [String] {
        // Check every member first, so a bad one leaves nothing half-extracted.
        let check = try TarReader(bytes: bytes)
        var names: [String] = []
        while let entry = try check.nextEntry() {
            guard entry.kind == .regular else {
                throw ArchiveError.malformed("member \(entry.path) is not a regular file")
            }
            guard entry.pathIsUTF8, !entry.path.isEmpty, !entry.path.hasPrefix("/"),
                !entry.path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0.isEmpty })
            else {
                throw ArchiveError.malformed("member name \(entry.path) would be written outside \(directory)")
            }
            names.append(entry.path)
        }

        guard let resolved = realpath(directory, nil) else {
            throw ArchiveError.io(operation: "cannot find \(directory)", errno: errno)
        }
        // With NO_OVERWRITE libarchive skips an existing file silently; say so instead.
        for name in names {
            var status = stat()
            if lstat(String(cString: resolved) + "/" + name, &status) == 0 {
                free(resolved)
                throw ArchiveError.malformed("\(name) already exists in \(directory)")
            }
        }
        // libarchive refuses symbolic links anywhere in the path with SECURE_SYMLINKS, so the
        // directory is named by its real path.
        let root = String(cString: resolved)
        free(resolved)

        let disk = try ArchiveError.handle("archive_write_disk_new") { archive_write_disk_new() }
        defer { archive_write_free(disk) }
        let flags =
            ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS
            | ARCHIVE_EXTRACT_NO_OVERWRITE | ARCHIVE_EXTRACT_NO_AUTODIR
        archive_write_disk_set_options(disk, flags)
        func failure(_ status: Int32, _ operation: String) -> ArchiveError {
            .libarchive(disk, operation, status: status)
        }

        let reader = try TarReader(bytes: bytes)
        while let entry = try reader.nextEntry() {
            let contents = try reader.readData(limit: Int64.max)
            let item = try ArchiveError.handle("archive_entry_new") { archive_entry_new() }
            defer { archive_entry_free(item) }
            archive_entry_copy_pathname(item, root + "/" + entry.path)
            archive_entry_set_filetype(item, CARCHIVE_IFREG)
            archive_entry_set_perm(item, mode_t(permissions))
            archive_entry_set_size(item, Int64(contents.count))
            let header = archive_write_header(disk, item)
            guard header == ARCHIVE_OK else { throw failure(header, "cannot extract \(entry.path)") }
            if !contents.isEmpty {
                let written = contents.withUnsafeBytes { archive_write_data(disk, $0.baseAddress, $0.count) }
                guard written == contents.count else { throw failure(ARCHIVE_FATAL, "cannot write \(entry.path)") }
            }
            let finished = archive_write_finish_entry(disk)
            guard finished == ARCHIVE_OK else { throw failure(finished, "cannot finish \(entry.path)") }
        }
        let closed = archive_write_close(disk)
        guard closed == ARCHIVE_OK else { throw failure(closed, "cannot finish extracting") }
        return names
    }
}
