import Foundation
import TestSupport
import Testing

/// Messages that tell the truth: what was and was not written, the real cause of a refusal,
/// when a change takes effect, and slips of the command line named.
@Suite struct TruthfulMessagesTests {
    static let smallVolume = ["--size", "1M", "--no-ovf-store"]

    /// The write journal is durable when the in-place write fails (EIO injected on its fsync):
    /// the message says the change is recorded and will complete, and the next read completes it.
    @Test(.enabled(if: Command.isAvailable("strace"))) func aFailureAfterTheJournalSaysTheChangeIsRecorded() throws {
        let directory = try TemporaryDirectory("truth-journal")
        // A 20480-byte file volume keeps its journal and history beside it: the first fsync of
        // the volume itself is the one after the write in place.
        let layout = ["--style", "deploy", "--shrink", "--no-ovf-store"]
        let tracedDirectory = try TemporaryDirectory("truth-journal-trace")
        let traced = try UpstreamStorage.makeStorage(in: tracedDirectory, arguments: layout)
        let trace = directory.file("trace")
        let dry = try Command.run(
            "strace", ["-f", "-y", "-qq", "-e", "trace=fsync", "-o", trace, Tool.path, "--set-shared-config", "smtp-port", "2525"],
            environment: Tool.environment(for: traced))
        #expect(dry.status == 0, "\(dry)")
        let calls = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").filter { $0.contains("fsync(") }
        // strace names the path as the kernel has it (TemporaryDirectory's has a double slash).
        let volume = traced.volume.replacingOccurrences(of: "//", with: "/")
        let index = try #require(calls.firstIndex { $0.contains("<\(volume)>") }) + 1

        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: layout)
        let host = Tool.environment(for: storage)
        let failed = try Command.run(
            "strace",
            [
                "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync", "-e", "inject=fsync:error=EIO:when=\(index)", Tool.path,
                "--set-shared-config", "smtp-port", "2525",
            ],
            environment: host)
        #expect(failed.status == 1, "\(failed)")
        #expect(failed.stderr.contains("The change is recorded in the write journal of "), "\(failed)")
        #expect(failed.stderr.contains("It is not lost: the next command that reads the volume, on any host, completes it"))
        #expect(!failed.stderr.contains("nothing was written"))
        let read = try Tool.run(["--get-shared-config", "smtp-port"], environment: host)
        #expect(read.stdout == "smtp-port : 2525, type : broker\n", "\(read)")
    }

    /// Root is refused by the filesystem, not by permissions: the message names the cause.
    @Test(.enabled(if: geteuid() == 0 && Command.isAvailable("chattr"))) func anImmutableVolumeIsNamedSo() throws {
        let directory = try TemporaryDirectory("truth-immutable")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        try Command.run("chattr", ["+i", storage.volume]).requireSuccess("chattr")
        defer { _ = try? Command.run("chattr", ["-i", storage.volume]) }
        let result = try Tool.run(["--set-shared-config", "smtp-port", "2525"], environment: Tool.environment(for: storage))
        #expect(result.status == 1)
        #expect(result.stderr.contains("it is marked immutable or append-only (lsattr "), "\(result)")
        #expect(!result.stderr.contains("run as root"))
    }

    /// The mode lets vdsm's group read and write, but an ACL takes it away (the group entry
    /// none, the mask rw, so ls shows rw): the message names the ACL, not the mode or root.
    @Test(.enabled(if: geteuid() == 0 && Command.isAvailable("setfacl"))) func anAclThatDeniesWhatTheModeAllowsIsNamedSo() throws {
        let directory = try TemporaryDirectory("truth-acl")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        try Command.run("chown", ["0:36", storage.volume]).requireSuccess("chown")
        try Command.run("setfacl", ["-m", "g::---,m::rw-", storage.volume]).requireSuccess("setfacl")
        let result = try Tool.run(["--get-shared-config", "smtp-server"], environment: Tool.environment(for: storage))
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "vdsm may read it by its owner and mode (owner 0:36, mode 0660), yet the system refused: an ACL (getfacl "),
            "\(result)")
        #expect(!result.stderr.contains("run as root"))
    }

    @Test(.enabled(if: geteuid() == 0 && Command.isAvailable("unshare"))) func aReadOnlyFilesystemIsNamedSo() throws {
        let directory = try TemporaryDirectory("truth-readonly")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let mount = storage.mountRoot
        var environment: [String: String?] = ["HE_BACKUP_DIR": storage.backups]
        for (key, value) in Tool.environment(for: storage) { environment[key] = value }
        let script =
            "mount --bind '\(mount)' '\(mount)' && mount -o remount,ro,bind '\(mount)' && exec '\(Tool.path)' --set-shared-config smtp-port 2525"
        let result = try Command.run("unshare", ["-m", "--propagation", "private", "sh", "-c", script], environment: environment)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("its filesystem is mounted read-only (findmnt -T "), "\(result)")
        #expect(!result.stderr.contains("run as root"))
    }

    /// Ctrl-C in the editor: one line, nothing written, a copy without an edit removed; one with
    /// an edit kept, its path said.
    @Test(.enabled(if: Command.isAvailable("setsid"))) func ctrlCInTheEditor() throws {
        let directory = try TemporaryDirectory("truth-ctrl-c")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let before = try Files.read(storage.volume)
        for (label, edit) in [("untouched", ""), ("edited", "sed -i 's/smtp-port=25/smtp-port=587/' \"$1\"\n")] {
            let editor = try directory.write("editor-\(label).sh", "#!/bin/sh\n\(edit)kill -INT 0\nsleep 5\n")
            chmod(editor, 0o755)
            var host = Tool.environment(for: storage)
            host["TMPDIR"] = directory.path
            host["VISUAL"] = editor
            // A session of its own, as a terminal's foreground group: Ctrl-C reaches the tool too.
            let result = try Command.run("setsid", ["-w", Tool.path, "--edit-shared-config", "--type", "broker"], environment: host)
            #expect(result.status == 1, "\(label): \(result)")
            #expect(result.stderr.hasPrefix("Edit cancelled: interrupted (Ctrl-C)"), "\(label): \(result)")
            #expect(try Files.read(storage.volume) == before)
            let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("hosted-engine-edit-") }
            if edit.isEmpty {
                #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
                #expect(left.isEmpty)
            } else {
                #expect(result.stderr.contains("\nYour edited copy is kept at "), "\(result)")
                #expect(left.count == 1)
            }
        }
    }

    @Test func slipsOfTheCommandLineAreNamed() throws {
        let twice = try Tool.run(["--get-shared-config", "smtp-port", "--type", "broker", "--type=he_shared"])
        #expect(twice.status == 64)
        #expect(
            twice.stderr
                == "hosted-engine --get-shared-config: --type is given twice, as broker and he_shared; give one type. Run hosted-engine --get-shared-config --help.\n"
        )
        let bare = try Tool.run(["set-shared-config", "smtp-port", "2525"])
        #expect(bare.status == 64)
        #expect(
            bare.stderr
                == "hosted-engine: unknown command set-shared-config. Did you mean --set-shared-config? Command words start with two dashes; run hosted-engine --help for the commands.\n"
        )
    }

    /// Every set says when it takes effect: a broker set too.
    @Test func aBrokerSetSaysWhenItTakesEffect() throws {
        let directory = try TemporaryDirectory("truth-broker-effect")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let set = try Tool.run(["--set-shared-config", "smtp-port", "2525"], environment: Tool.environment(for: storage))
        #expect(set.status == 0 && set.stdout.isEmpty)
        #expect(
            set.stderr.hasPrefix(
                "The HA broker on every host reads broker.conf from the shared storage for each notification it sends: the change takes effect with the next one, without a restart.\n"
            ), "\(set)")
    }

    /// A key of broker.conf that the broker reads and this tool does not edit: read, marked, refused.
    @Test func aKeyOutsideTheSchemaIsReadOnly() throws {
        let directory = try TemporaryDirectory("truth-read-only")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let host = Tool.environment(for: storage)
        for name in ["smtp-timeout", "email.smtp-timeout"] {
            let get = try Tool.run(["--get-shared-config", name], environment: host)
            #expect(get.status == 0 && get.stdout == "\(name) : 10, type : broker\n", "\(get)")
            #expect(get.stderr == "\(name) is read only here: it is not one of the broker keys this tool sets.\n", "\(get)")
        }
        let set = try Tool.run(["--set-shared-config", "smtp-timeout", "20"], environment: host)
        #expect(set.status == 1)
        #expect(
            set.stderr
                == "smtp-timeout cannot be set with this tool: it is not one of the broker.conf keys this tool edits (the design note's), so it can be read but not set.\n"
        )
        #expect(
            try Tool.run(["--get-shared-config", "smtp-nonsense"], environment: host).stderr.hasPrefix(
                "Invalid configuration key smtp-nonsense."))
    }

    /// `--if-value`: a set that holds what the caller read, else exit 3 naming who changed it.
    @Test func aSetWithTheValueItReadIsACompareAndSwap() throws {
        let directory = try TemporaryDirectory("truth-if-value")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let host = Tool.environment(for: storage)
        #expect(try Tool.run(["--set-shared-config", "smtp-port", "2525"], environment: host).status == 0)
        let before = try Files.read(storage.volume)
        let stale = try Tool.run(["--set-shared-config", "smtp-port", "587", "--if-value", "25"], environment: host)
        #expect(stale.status == 3, "\(stale)")
        #expect(stale.stderr.hasPrefix("Update failed. The configuration file was changed by somebody else, try again.\n"))
        #expect(
            stale.stderr.contains("  broker.conf email.smtp-port is now '2525', not '25' as read, changed at ")
                && stale.stderr.contains(" with --set-shared-config smtp-port (v2)"), "\(stale)")
        #expect(try Files.read(storage.volume) == before)
        let fresh = try Tool.run(["--set-shared-config", "smtp-port", "587", "--if-value", "2525"], environment: host)
        #expect(fresh.status == 0, "\(fresh)")
        let local = try Tool.run(["--set-shared-config", "tcp_t_port", "22", "--type", "he_local", "--if-value", "80"], environment: host)
        #expect(local.status == 3 && local.stderr.contains("tcp_t_port is now (not set), not '80' as read"), "\(local)")
    }
}
