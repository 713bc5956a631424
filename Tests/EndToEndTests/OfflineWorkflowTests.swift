import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// The working-directory workflow and the editor, through the built binary.
@Suite struct OfflineWorkflowTests {
    static let smallVolume = ["--size", "4M"]

    func replace(_ old: String, with new: String, in path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(old), "\(old) not in \(path)")
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test func checkoutEditValidateDiffPush() throws {
        let directory = try TemporaryDirectory("offline")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let host = Tool.environment(for: storage)
        let work = directory.file("work")

        let checkout = try Tool.run(["--checkout-config", work], environment: host)
        #expect(checkout.status == 0, "\(checkout)")
        #expect(checkout.stdout.hasPrefix("Checked out \(storage.volumeLink) into \(work) (base sha256:"))
        #expect(try Tool.run(["--config-diff", work], environment: host).status == 0)
        #expect(try Tool.run(["--validate-config", work]).status == 0)
        #expect(try Tool.run(["--config-status", work], environment: host).stdout.contains("No changes here."))

        try replace("smtp-port=25", with: "smtp-port=99999", in: work + "/broker.conf")
        try replace("smtp-timeout=10", with: "smtp-timeout=20", in: work + "/broker.conf")
        let validate = try Tool.run(["--validate-config", work])
        #expect(validate.status == 1)
        #expect(
            validate.stdout == """
                broker.conf:3: Invalid value '99999' for email.smtp-port: expected a port number from 1 to 65535.
                broker.conf:4: email.smtp-timeout is not editable (changed from '10' to '20'); the editable keys of broker.conf are smtp-port, destination-emails, smtp-server, source-email, state_transition

                """)
        let json = try Tool.run(["--validate-config", work, "--json"])
        let problems = (try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: Any])?["problems"] as? [[String: Any]]
        #expect(problems?.map { $0["line"] as? Int } == [3, 4])
        let refused = try Tool.run(["--push-config", work], environment: host)
        #expect(refused.status == 1)
        #expect(refused.stderr.hasSuffix("Nothing was pushed: 2 problems above; fix them and push again.\n"))

        try replace("smtp-port=99999", with: "smtp-port=587", in: work + "/broker.conf")
        try replace("smtp-timeout=20", with: "smtp-timeout=10", in: work + "/broker.conf")
        let diff = try Tool.run(["--config-diff", work], environment: host)
        #expect(diff.status == 1)
        #expect(
            diff.stdout.hasPrefix(
                "--- a/broker.conf\n+++ b/broker.conf\n@@ -1,6 +1,6 @@\n [email]\n smtp-server=localhost\n-smtp-port=25\n+smtp-port=587\n"))
        let status = try Tool.run(["--config-status", work, "--json"], environment: host)
        let object = try JSONSerialization.jsonObject(with: Data(status.stdoutBytes)) as? [String: Any]
        #expect(object?["volumeState"] as? String == "unchanged")
        #expect((object?["changedKeys"] as? [[String: Any]])?.first?["new"] as? String == "587")

        let dryRun = try Tool.run(["--push-config", work, "--dry-run"], environment: host)
        #expect(
            dryRun.stdout.contains("broker.conf email.smtp-port: '25' -> '587'") && dryRun.stdout.contains("Dry run: nothing was written."))
        let push = try Tool.run(["--push-config", work], environment: host)
        #expect(push.status == 0, "\(push)")
        #expect(try Tool.run(["--get-shared-config", "smtp-port"], environment: host).stdout == "smtp-port : 587, type : broker\n")
        #expect(try Tool.run(["--config-diff", work], environment: host).status == 0)
        #expect(try Tool.run(["--push-config", work], environment: host).stdout.hasPrefix("Nothing to push"))
        #expect(try Tool.run(["--config-diff", directory.file("nowhere")]).status == 2)
    }

    @Test func twoCheckoutsMergeDisjointKeysAndReportOverlaps() throws {
        let directory = try TemporaryDirectory("offline-rebase")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let host = Tool.environment(for: storage)
        let first = directory.file("first")
        let second = directory.file("second")
        #expect(try Tool.run(["--checkout-config", first], environment: host).status == 0)
        #expect(try Tool.run(["--checkout-config", second], environment: host).status == 0)
        try replace("smtp-server=localhost", with: "smtp-server=first.example.com", in: first + "/broker.conf")
        try replace("destination-emails=root@localhost", with: "destination-emails=second@example.com", in: second + "/broker.conf")
        #expect(try Tool.run(["--push-config", first], environment: host).status == 0)

        let secondBefore = try Files.read(second + "/broker.conf")
        let conflict = try Tool.run(["--push-config", second], environment: host)
        #expect(conflict.status == 3)
        #expect(
            conflict.stderr.hasPrefix(
                """
                Update failed. The configuration file was changed by somebody else, try again.
                Changed on the volume since checkout: broker.conf email.smtp-server.
                """))
        #expect(try Files.read(second + "/broker.conf") == secondBefore)
        #expect(try Tool.run(["--config-status", second], environment: host).stdout.contains("The volume changed since checkout"))

        let rebased = try Tool.run(["--push-config", second, "--rebase"], environment: host)
        #expect(rebased.status == 0, "\(rebased)")
        #expect(rebased.stdout.contains("rebased onto the volume's changes"))
        let all = try Tool.run(["--get-all-config", "--json"], environment: host)
        let broker = (try JSONSerialization.jsonObject(with: Data(all.stdoutBytes)) as? [String: [String: String]])?["broker"]
        #expect(broker?["smtp-server"] == "first.example.com")
        #expect(broker?["destination-emails"] == "second@example.com")

        // Overlap: both change smtp-server, differently.
        try replace("smtp-server=first.example.com", with: "smtp-server=second.example.com", in: second + "/broker.conf")
        try replace("smtp-server=first.example.com", with: "smtp-server=third.example.com", in: first + "/broker.conf")
        // The first copy is stale (it does not have second's destination-emails) but does not touch that key.
        #expect(try Tool.run(["--push-config", first, "--rebase"], environment: host).status == 0)
        let before = try Files.read(storage.volume)
        let overlap = try Tool.run(["--push-config", second, "--rebase"], environment: host)
        #expect(overlap.status == 3)
        let lines = overlap.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines[0] == "Cannot rebase: these changed both here and on the volume:", "\(overlap)")
        #expect(lines.last == "Nothing was written; make the working directory agree with the volume, or check out again.")
        // The overlap, with who made the volume's change: the first copy's push, from the shared history.
        #expect(
            lines.count == 3
                && lines[1].hasPrefix(
                    "  broker.conf email.smtp-server: base 'first.example.com', local 'second.example.com', volume 'third.example.com', changed at "
                ) && lines[1].contains(" by root on host 1 (") && lines[1].contains(" with --push-config ("), "\(lines)")
        #expect(try Files.read(storage.volume) == before)
    }

    /// A shell script standing in for $EDITOR: each run applies the next sed expression.
    func scriptedEditor(in directory: TemporaryDirectory, steps: [String], extra: String = "") throws -> String {
        let counter = directory.file("editor-runs")
        let cases = steps.enumerated().map { "  \($0.offset)) sed -i -e '\($0.element)' \"$1\" ;;" }.joined(separator: "\n")
        let script = """
            #!/bin/sh
            n=$(cat '\(counter)' 2>/dev/null || echo 0)
            echo $((n + 1)) > '\(counter)'
            cp "$1" '\(directory.path)'/editor-saw-$n
            case $n in
            \(cases)
              *) exit 1 ;;
            esac
            \(extra)
            """
        let path = try directory.write("editor.sh", script)
        chmod(path, 0o755)
        return path
    }

    @Test func editSharedConfigWithAScriptedEditor() throws {
        let directory = try TemporaryDirectory("offline-edit")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        var host = Tool.environment(for: storage)
        host["TMPDIR"] = directory.path
        host["VISUAL"] = nil
        host["EDITOR"] = try scriptedEditor(in: directory, steps: ["s/smtp-port=25/smtp-port=0/", "s/smtp-port=0/smtp-port=2525/"])
        let result = try Tool.run(["--edit-shared-config", "--type", "broker"], environment: host)
        #expect(result.status == 0, "\(result)")
        #expect(try Tool.run(["--get-shared-config", "smtp-port"], environment: host).stdout == "smtp-port : 2525, type : broker\n")
        let second = try String(contentsOfFile: directory.file("editor-saw-1"), encoding: .utf8)
        #expect(
            second.hasPrefix(
                "# hosted-engine: broker.conf:3: Invalid value '0' for email.smtp-port: expected a port number from 1 to 65535.\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("hosted-engine-edit-") }.isEmpty)
    }

    /// While the administrator edits, another host changes another key: the edit is made again
    /// on what the volume holds, as a set is, and both changes stay.
    @Test func anEditMeetingAChangeOfAnotherKeyLandsOnTopOfIt() throws {
        let directory = try TemporaryDirectory("offline-edit-merge")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        var host = Tool.environment(for: storage)
        host["TMPDIR"] = directory.path
        let other =
            "HE_BACKUP_DIR='\(storage.backups)' '\(Tool.path)' --set-shared-config smtp-server other.example.com --volume '\(storage.volume)'"
        host["VISUAL"] = try scriptedEditor(in: directory, steps: ["s/smtp-port=25/smtp-port=587/"], extra: other)
        let result = try Tool.run(["--edit-shared-config"], environment: host)
        #expect(result.status == 0, "\(result)")
        #expect(try Tool.run(["--get-shared-config", "smtp-port"], environment: host).stdout == "smtp-port : 587, type : broker\n")
        #expect(
            try Tool.run(["--get-shared-config", "smtp-server"], environment: host).stdout
                == "smtp-server : other.example.com, type : broker\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("hosted-engine-edit-") }.isEmpty)
    }

    /// Another host changes the very key being edited: exit 3, the key's value now and who set
    /// it named, nothing written, the edited copy kept.
    @Test func anEditThatMeetsAChangeOfTheSameKeyKeepsTheCopy() throws {
        let directory = try TemporaryDirectory("offline-edit-conflict")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        var host = Tool.environment(for: storage)
        host["TMPDIR"] = directory.path
        let other =
            "HE_BACKUP_DIR='\(storage.backups)' '\(Tool.path)' --set-shared-config smtp-port 2525 --volume '\(storage.volume)'"
        host["VISUAL"] = try scriptedEditor(in: directory, steps: ["s/smtp-port=25/smtp-port=587/"], extra: other)
        let result = try Tool.run(["--edit-shared-config"], environment: host)
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("Cannot rebase: these changed both here and on the volume:\n"))
        #expect(result.stderr.contains("  broker.conf email.smtp-port: base '25', local '587', volume '2525', changed at "))
        #expect(result.stderr.contains(" with --set-shared-config smtp-port (v2)"), "\(result)")
        let kept = try #require(result.stderr.split(separator: "\n").last { $0.hasPrefix("Your edited copy is kept at ") })
        let path = String(kept.dropFirst("Your edited copy is kept at ".count).prefix { $0 != ";" })
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("smtp-port=587"))
        #expect(try Tool.run(["--get-shared-config", "smtp-port"], environment: host).stdout == "smtp-port : 2525, type : broker\n")
    }

    @Test func unchangedAndEmptiedEdits() throws {
        let directory = try TemporaryDirectory("offline-edit-cancel")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        var host = Tool.environment(for: storage)
        host["TMPDIR"] = directory.path
        let before = try Files.read(storage.volume)
        host["EDITOR"] = "true"
        let unchanged = try Tool.run(["--edit-shared-config"], environment: host)
        #expect(unchanged.status == 0)
        #expect(unchanged.stderr == "Edit cancelled: no changes; nothing was written.\n")
        host["EDITOR"] = "truncate -s 0"
        let emptied = try Tool.run(["--edit-shared-config"], environment: host)
        #expect(emptied.status == 1)
        #expect(
            emptied.stderr.hasPrefix(
                "Edit cancelled: the file was saved empty; nothing was written.\nYour edited copy is kept at \(directory.path)/hosted-engine-edit-"
            ))
        host["EDITOR"] = "false"
        #expect(
            try Tool.run(["--edit-shared-config"], environment: host).stderr.hasPrefix("Edit cancelled: the editor exited with status 1;"))
        #expect(try Files.read(storage.volume) == before)
        #expect(
            try Tool.run(["--edit-shared-config", "--type", "nope"], environment: host).stderr
                == "Invalid configuration type nope, supported types are: broker, vm, he_shared, he_local, ha\n")
    }

    @Test func jsonOutputsParse() throws {
        let directory = try TemporaryDirectory("offline-json")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let host = Tool.environment(for: storage)
        let get = try Tool.run(["--get-shared-config", "smtp-server", "--json"], environment: host)
        #expect(
            try JSONSerialization.jsonObject(with: Data(get.stdoutBytes)) as? [String: String] == [
                "key": "smtp-server", "value": "localhost", "type": "broker",
            ])
        #expect(try Tool.run(["--checkout-config", directory.file("w")], environment: host).status == 0)
        for arguments in [
            ["--get-all-config", "--json"], ["--config-status", directory.file("w"), "--json"],
            ["--validate-config", directory.file("w"), "--json"], ["--list-backups", "--json"],
        ] {
            let result = try Tool.run(arguments, environment: host)
            #expect(result.status == 0)
            #expect((try? JSONSerialization.jsonObject(with: Data(result.stdoutBytes))) != nil, "\(arguments): \(result.stdout)")
        }
    }
}
