import ArchiveKit

/// The version of the tool, the one string `--version` prints and the README names.
public enum ToolVersion {
    public static let string = "0.14.0"

    /// What `--version` prints: the version on the first line (scripts and the Ansible modules
    /// read it there), then the commit it was built from (`commit`: empty when the build did not
    /// say) and the libarchive this process runs.
    public static func report(commit: String) -> String {
        report(commit: commit, libarchive: ArchiveLibrary.version, sharedLibrary: ArchiveLibrary.sharedLibraryPath)
    }

    /// The same for a given libarchive (`sharedLibrary`: where it was loaded from, nil when it is
    /// linked in).
    static func report(commit: String, libarchive: String, sharedLibrary: String?) -> String {
        let built: String
        if commit.isEmpty {
            built = "commit: not recorded (a development build; scripts/build-release records it)"
        } else if commit.hasSuffix("-dirty") {
            built = "commit: \(commit.dropLast("-dirty".count)), with changes that were not committed"
        } else {
            built = "commit: \(commit)"
        }
        let linked = sharedLibrary.map { "shared, from \(DisplayText.printable($0))" } ?? "linked in"
        return "hosted-engine \(string)\n\(built)\n\(DisplayText.printable(libarchive)) (\(linked))"
    }
}
