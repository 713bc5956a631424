import HostedEngineConfig
import TestSupport
import Testing

@Suite struct UnifiedDiffTests {
    static let cases: [(String, String)] = [
        ("a\nb\nc\n", "a\nB\nc\n"),
        ((1...20).map { "line \($0)\n" }.joined(), (1...20).map { $0 == 3 || $0 == 17 ? "changed \($0)\n" : "line \($0)\n" }.joined()),
        ((1...10).map { "line \($0)\n" }.joined(), (1...10).map { $0 == 5 ? "" : "line \($0)\n" }.joined() + "added\n"),
        ("", "new\nfile\n"),
        ("old\n", ""),
        ("no newline", "no newline\n"),
        ("a\nb", "a\nc"),
        ("x\n", "x\ny\nz\n"),
    ]

    /// What `diff -u` prints, after its two header lines.
    @Test(arguments: cases)
    func matchesDiffU(old: String, new: String) throws {
        let directory = try TemporaryDirectory("diff")
        let a = try directory.write("a", old)
        let b = try directory.write("b", new)
        let theirs = try Command.run("diff", ["-u", a, b])
        #expect(theirs.status == 1)
        let expected = theirs.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
        let ours = UnifiedDiff.diff(old: old, new: new, oldName: "a", newName: "b")
        #expect(ours.hasPrefix("--- a\n+++ b\n"))
        #expect(String(ours.dropFirst("--- a\n+++ b\n".count)) == expected)
    }

    @Test func equalTextsHaveNoDiff() {
        #expect(UnifiedDiff.diff(old: "same\n", new: "same\n", oldName: "a", newName: "b").isEmpty)
    }
}
