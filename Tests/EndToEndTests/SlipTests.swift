import Foundation
import TestSupport
import Testing

/// The slips people make, each answered in a line or two that says what was meant.
@Suite struct SlipTests {
    /// An option that takes a value, after the set's value, is an option and its value: not more
    /// words of a value the shell split (the parser knows which options take one).
    @Test func anOptionAfterTheValueIsNotASplitValue() throws {
        let directory = try TemporaryDirectory("slips-option-after")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let log = directory.file("audit.log")
        let set = try Tool.run(
            ["--set-shared-config", "smtp-server", "mail.example.com", "--audit-log", log, "--type", "broker"],
            environment: Tool.environment(for: storage))
        #expect(set.status == 0, "\(set)")
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("changes=[email.smtp-server: 'localhost' -> 'mail.example.com']"))
        let split = try Tool.run(
            ["--set-shared-config", "smtp-server", "a", "--audit-log", log, "b"], environment: Tool.environment(for: storage))
        #expect(split.status == 64, "\(split)")
        #expect(split.stderr.contains("the value came as 2 arguments"), "\(split)")
    }

    @Test func eachSlipGetsItsMessage() throws {
        let directory = try TemporaryDirectory("slips")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let host = Tool.environment(for: storage)
        let before = try Files.read(storage.volume)
        for (arguments, status, expected) in [
            (
                ["--get-shared-config"], Int32(64),
                "hosted-engine --get-shared-config: Missing expected argument '<key>'. Usage: hosted-engine --get-shared-config KEY [--type TYPE]. See hosted-engine --get-shared-config --help.\n"
            ),
            (
                ["--get-shred-config", "smtp-server"], 64,
                "hosted-engine: unknown command --get-shred-config. Did you mean --get-shared-config? Run hosted-engine --help for the commands.\n"
            ),
            (
                ["--set-shared-config", "destination-emails", "a@example.com,", "b@example.com"], 64,
                "hosted-engine --set-shared-config: the value came as 2 arguments, so the shell split it at its spaces; quote it: hosted-engine --set-shared-config destination-emails 'a@example.com, b@example.com'\n"
            ),
        ] {
            let result = try Tool.run(arguments, environment: host)
            #expect(result.status == status, "\(arguments): \(result)")
            #expect(result.stderr == expected, "\(arguments)")
        }
        for (arguments, lastLine) in [
            (["--set-shared-config", "smtp-srver", "x"], "Did you mean smtp-server?"),
            (["--get-shared-config", "smtp-server", "--type", "brokr"], "Did you mean broker?"),
            (
                ["--set-shared-config", "smtp-port=25"],
                "smtp-port=25 is a key and its value in one argument; give them as two: hosted-engine --set-shared-config smtp-port 25"
            ),
            (["--set-shared-config", "mem_size", "4096", "--type", "broker"], "mem_size is a key of type vm, not broker: use --type vm."),
        ] {
            let result = try Tool.run(arguments, environment: host)
            #expect(result.status == 1, "\(arguments): \(result)")
            #expect(result.stderr.hasSuffix("\n" + lastLine + "\n"), "\(arguments): \(result.stderr)")
        }
        // The design note's invalid key stays as it was: nothing near it, no extra line.
        let missing = try Tool.run(["--set-shared-config", "missing_key"], environment: host)
        #expect(missing.stderr.hasSuffix("ha : ['local_maintenance', 'local_maintenance_manual']\n"))
        #expect(try Files.read(storage.volume) == before)
    }

    @Test func editingTheOvfWithoutATerminalIsRefusedBeforeTheEditorOpens() throws {
        let setup = try VmConfigTests.Setup("slip-edit-vm")
        let marker = setup.directory.file("editor-ran")
        let editor = try setup.directory.write("editor.sh", "#!/bin/sh\ntouch '\(marker)'\n")
        chmod(editor, 0o755)
        var host = setup.host
        host["EDITOR"] = editor
        let result = try Tool.run(["--edit-shared-config", "--type", "vm"], environment: host)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Setting the engine VM's OVF rewrites what the HA agents start the engine VM from;"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }
}
