import Foundation
import TestSupport
import Testing

/// The progress line appears only on a terminal (through a pseudo-terminal here), never in a
/// pipe or with --quiet, and no output carries colour.
@Suite struct ProgressTests {
    static let escape = "\u{1B}"

    @Test func aTerminalGetsTheLineAndAPipeDoesNot() throws {
        let setup = try VmConfigTests.Setup("progress")
        var environment = setup.host
        // Test only: draw from the first byte, so a small OVF_STORE shows it.
        environment["HE_TEST_PROGRESS_AFTER_SECONDS"] = "0"
        let onTerminal = try Tool.runOnTerminal(
            ["--download-ovf-store", setup.directory.file("tty")], environment: environment, answer: "")
        #expect(onTerminal.status == 0, "\(onTerminal)")
        #expect(onTerminal.stdout.contains("\r\(Self.escape)[Khosted-engine: reading "), "\(onTerminal)")
        // Erased before the command's own output.
        #expect(onTerminal.stdout.contains("\r\(Self.escape)[KDownloaded "), "\(onTerminal)")

        let piped = try Tool.run(["--download-ovf-store", setup.directory.file("pipe")], environment: environment)
        #expect(piped.status == 0, "\(piped)")
        #expect(!piped.stderr.contains(Self.escape) && !piped.stderr.contains("\r"), "\(piped)")

        let quiet = try Tool.runOnTerminal(
            ["--download-ovf-store", setup.directory.file("quiet"), "--quiet"], environment: environment, answer: "")
        #expect(quiet.status == 0, "\(quiet)")
        #expect(!quiet.stdout.contains(Self.escape), "\(quiet)")

        let verified = try Tool.runOnTerminal(["--verify-storage"], environment: environment, answer: "")
        #expect(verified.status == 0, "\(verified)")
        #expect(verified.stdout.contains("\r\(Self.escape)[Khosted-engine: reading "), "\(verified)")
        #expect(verified.stdout.contains("\r\(Self.escape)[KConfiguration volume "), "\(verified)")
    }

    /// Nothing is coloured on a terminal, NO_COLOR or not (the progress line, the one escape
    /// sequence, is held off here; the meter's own test covers its first second).
    @Test func noColourOnATerminal() throws {
        let setup = try VmConfigTests.Setup("progress-colour")
        for noColor in [nil, "1"] as [String?] {
            var environment = setup.host
            environment["NO_COLOR"] = noColor
            environment["HE_TEST_PROGRESS_AFTER_SECONDS"] = "600"
            for arguments in [["--get-all-config"], ["--set-shared-config", "smtp-port", "2525"], ["--verify-storage"]] {
                let result = try Tool.runOnTerminal(arguments, environment: environment, answer: "")
                #expect(result.status == 0, "\(arguments): \(result)")
                #expect(!result.stdout.contains(Self.escape), "\(arguments): \(result)")
            }
        }
    }
}
