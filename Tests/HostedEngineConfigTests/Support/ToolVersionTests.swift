import Testing

@testable import HostedEngineConfig

struct ToolVersionTests {
    @Test func saysTheVersionFirstThenTheCommitAndTheLibarchive() {
        let report = ToolVersion.report(
            commit: "0123456789abcdef0123456789abcdef01234567", libarchive: "libarchive 3.6.2", sharedLibrary: nil)
        #expect(
            report == """
                hosted-engine \(ToolVersion.string)
                commit: 0123456789abcdef0123456789abcdef01234567
                libarchive 3.6.2 (linked in)
                """)
    }

    @Test func saysWhenTheTreeHadChangesOrTheBuildDidNotSay() {
        let dirty = ToolVersion.report(
            commit: "0123456789abcdef0123456789abcdef01234567-dirty", libarchive: "libarchive 3.7.4", sharedLibrary: nil)
        #expect(dirty.contains("\ncommit: 0123456789abcdef0123456789abcdef01234567, with changes that were not committed\n"))
        let unknown = ToolVersion.report(commit: "", libarchive: "libarchive 3.7.4", sharedLibrary: "/usr/lib64/libarchive.so.13")
        #expect(unknown.contains("\ncommit: not recorded (a development build; scripts/build-release records it)\n"))
        #expect(unknown.hasSuffix("\nlibarchive 3.7.4 (shared, from /usr/lib64/libarchive.so.13)"))
    }

    /// What this process runs: the debug build loads the system's libarchive.
    @Test func namesTheLibarchiveThisProcessRuns() {
        let report = ToolVersion.report(commit: "")
        #expect(report.split(separator: "\n").last?.hasPrefix("libarchive 3.") == true)
        #expect(report.contains("(shared, from /") || report.hasSuffix("(linked in)"))
    }
}
