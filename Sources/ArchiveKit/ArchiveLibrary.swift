import CArchive
import Glibc

/// The libarchive this process runs: its own words for its version, and where its code is.
public enum ArchiveLibrary {
    /// `libarchive 3.6.2`. (Not archive_version_details: naming every compression library
    /// libarchive was built with links them all into a static binary.)
    public static var version: String {
        String(cString: archive_version_string())
    }

    /// The shared library the dynamic linker loaded it from (as this process's memory map shows
    /// it); nil when it is linked into this binary, as scripts/build-release links it.
    public static var sharedLibraryPath: String? {
        guard let stream = fopen("/proc/self/maps", "re") else { return nil }
        defer { fclose(stream) }
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), stream) != nil {
            let text = String(decoding: line.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // The path is the last field, after the inode; a mapped file has one starting with /.
            guard let slash = text.firstIndex(of: "/") else { continue }
            let path = String(text[slash...])
            if path.split(separator: "/").last?.hasPrefix("libarchive.so") == true { return path }
        }
        return nil
    }
}
