import Foundation
import TestSupport
import Testing

/// Argument forms, help and exit codes.
@Suite struct CommandLineTests {
    @Test func typeAndHelpAnywhereAfterTheCommandWord() throws {
        let directory = try TemporaryDirectory("cli")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M"])
        let expected = "smtp-port : 25, type : broker\n"
        for arguments in [
            ["--get-shared-config", "smtp-port", "--type=broker"],
            ["--get-shared-config", "--type", "broker", "smtp-port"],
            ["--get-shared-config", "--type=broker", "smtp-port", "--volume", storage.volume],
            ["--volume", storage.volume, "--get-shared-config", "smtp-port"],
        ] {
            let result = try Tool.run(arguments + (arguments.contains("--volume") ? [] : ["--volume", storage.volume]))
            #expect(result.stdout == expected, "\(arguments): \(result)")
        }
        for arguments in [
            ["--set-shared-config", "--help"], ["--set-shared-config", "smtp-port", "--help"],
            ["--set-shared-config", "smtp-port", "25", "--type", "broker", "--help"],
        ] {
            let help = try Tool.run(arguments)
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE: hosted-engine --set-shared-config [<options>] <key> [<value>]"), "\(help)")
        }
        let overview = try Tool.run(["--help"])
        #expect(overview.status == 0)
        #expect(overview.stdout.contains("--get-all-config"))
    }

    /// One version string: what the binary prints first is what the README names; then the
    /// commit (not recorded in a debug build) and the libarchive it loaded.
    @Test func versionIsTheOneTheReadmeNames() throws {
        let result = try Tool.run(["--version"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty, "\(result.stdout)")
        let version = try #require(lines.first?.split(separator: " ").last)
        #expect(lines.first == "hosted-engine \(version)")
        #expect(version.split(separator: ".").count == 3)
        #expect(try Fixtures.text("../README.md").contains("`hosted-engine \(version)`"))
        #expect(lines.dropFirst().first == "commit: not recorded (a development build; scripts/build-release records it)")
        #expect(lines.dropFirst(2).first?.hasPrefix("libarchive 3.") == true)
        #expect(lines.dropFirst(2).first?.contains("(shared, from /") == true, "a debug build loads the system's libarchive")
    }

    /// The plain get and set forms skip swift-argument-parser; with any other option (here
    /// --volume) the full parser runs. Both must print and exit the same.
    @Test func quickAndFullParsingAgree() throws {
        let directory = try TemporaryDirectory("cli-quick")
        // Each path writes to its own copy of the same storage, so both see the same sequence.
        let twinDirectory = try TemporaryDirectory("cli-quick-twin")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M"])
        let twin = try UpstreamStorage.makeStorage(in: twinDirectory, arguments: ["--size", "1M"])
        let backups = directory.file("backups")
        for arguments in [
            ["--get-shared-config", "smtp-port"], ["--get-shared-config", "email.smtp-port", "--json"],
            ["--get-shared-config", "smtp-port", "--type", "broker"], ["--get-shared-config", "--type=broker", "smtp-port"],
            ["--get-shared-config", "smtp-port", "--type", "vm"], ["--get-shared-config", "no-such-key"],
            ["--get-shared-config", "smtp-port", "--type="], ["--get-shared-config", "smtp-port", "--type", ""],
            ["--get-shared-config", "smtp-port", "--json", "--json"],
            ["--set-shared-config", "smtp-port", "99999"], ["--set-shared-config", "smtp-port", "25"],
            ["--set-shared-config", "no-such-key", "1"], ["--set-shared-config", "smtp-port", "--type", "-1"],
            ["--set-shared-config", "smtp-port", "2525", "--type=broker"],
            ["--set-shared-config", "smtp-port", "2526"],
        ] {
            let quick = try Tool.run(arguments, environment: ["HE_CONF_VOLUME": storage.volume, "HE_BACKUP_DIR": backups])
            let full = try Tool.run(
                arguments + ["--volume", twin.volume] + (arguments[0] == "--set-shared-config" ? ["--backup-dir", backups] : []))
            #expect(quick.status == full.status, "\(arguments): \(quick) \(full)")
            #expect(quick.stdout == full.stdout, "\(arguments)")
            let withoutBackupNames = { (text: String) in
                text.split(separator: "\n").map { $0.hasPrefix("Saved the replaced archive") ? "Saved" : $0 }
            }
            #expect(withoutBackupNames(quick.stderr) == withoutBackupNames(full.stderr), "\(arguments)")
        }
        #expect(
            try Tool.run(["--get-shared-config", "smtp-port"], environment: ["HE_CONF_VOLUME": storage.volume]).stdout
                == "smtp-port : 2526, type : broker\n")
        #expect(
            try Tool.run(["--get-all-config", "--type", "broker", "--volume", storage.volume]).stdout
                == Tool.run(["--get-all-config", "--type", "broker", "--volume", twin.volume]).stdout)
    }

    @Test func usageErrorsExitSixtyFour() throws {
        for arguments in [
            [], ["--vm-status"], ["--get-shared-config"], ["--get-shared-config", "a", "b"], ["--set-shared-config", "smtp-port"],
            ["--set-shared-config", "smtp-port", "25", "--lock-timeout", "soon"],
        ] {
            let result = try Tool.run(arguments + ["--volume", "/nonexistent"])
            #expect(result.status == 64, "\(arguments): \(result)")
            #expect(!result.stderr.isEmpty)
        }
    }

    @Test func badValuesExitOneAndNameTheRule() throws {
        let directory = try TemporaryDirectory("cli-values")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M"])
        let before = try Files.read(storage.volume)
        for (key, value, rule) in [
            ("smtp-port", "99999", "expected a port number from 1 to 65535"),
            ("smtp-server", "bad host", "expected a host name or an IP address, like smtp.example.com or 192.0.2.25"),
            ("source-email", "a@b,c@d", "expected one e-mail address, like ovirt@example.com"),
            ("smtp-server", "a\nsmtp-port=1", "it contains a line break, which would corrupt the file; give the value on one line"),
        ] {
            let result = try Tool.run(["--set-shared-config", key, value, "--volume", storage.volume])
            #expect(result.status == 1)
            #expect(result.stderr == "Invalid value '\(value.replacingOccurrences(of: "\n", with: "\\n"))' for \(key): \(rule).\n")
        }
        #expect(try Files.read(storage.volume) == before)
    }

    @Test func refusesAGrowingArchiveUnlessAllowed() throws {
        let directory = try TemporaryDirectory("cli-large")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M"])
        let many = (0..<300).map { "user\($0)@example.com" }.joined(separator: ",")
        let refused = try Tool.run(["--set-shared-config", "destination-emails", many, "--volume", storage.volume])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("The new configuration archive would be 40960 bytes, more than the 20480 bytes"))
        let allowed = try Tool.run(
            ["--set-shared-config", "destination-emails", many, "--volume", storage.volume, "--allow-large-archive"],
            environment: ["HE_BACKUP_DIR": storage.backups])
        #expect(allowed.status == 0, "\(allowed)")
        let get = try Tool.run(["--get-shared-config", "destination-emails", "--volume", storage.volume])
        #expect(get.stdout == "destination-emails : \(many), type : broker\n")
        let gnu = try TarReaders.gnuTar(volume: storage.volume, count: 40960)
        #expect(String(decoding: gnu.contents["broker.conf"] ?? [], as: UTF8.self).contains(many))
    }

    @Test func anInvalidVolumeIsOneLineAndExitOne() throws {
        let directory = try TemporaryDirectory("cli-invalid")
        let zeros = directory.file("zeros")
        _ = FileManager.default.createFile(atPath: zeros, contents: Data(count: 1 << 20))
        try Files.giveToVdsm(zeros)
        let result = try Tool.run(["--get-all-config", "--volume", zeros])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "The configuration volume \(zeros) holds no valid configuration archive: it is empty (the first block is zeros); nothing was written. Restore one: hosted-engine --list-backups, then hosted-engine --restore-backup PATH --force.\n"
        )
    }
}
