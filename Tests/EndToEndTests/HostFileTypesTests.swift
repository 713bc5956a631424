import ArchiveKit
import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// he_local (this host's hosted-engine.conf) and ha (its ha.conf), driven as oVirt's
/// documentation drives them, against a host laid out as deploy leaves it (the local file
/// vdsm:kvm 0440, upstream's ha.conf).
@Suite struct HostFileTypesTests {
    static let limits = TarArchive.Limits(maximumMembers: 10, maximumMemberSize: 1 << 20)

    /// oVirt's documented commands, verbatim; mnt_options, a storage connection key, is
    /// confirmed on a terminal as an administrator would.
    static let documented = [
        "hosted-engine --set-shared-config --set network_test=tcp --set tcp_t_address=192.0.2.10 --set tcp_t_port=22 --type=he_local",
        "hosted-engine --set-shared-config --set network_test=tcp --set tcp_t_address=192.0.2.10 --set tcp_t_port=22 --type=he_shared",
        "hosted-engine --set-shared-config gateway 192.168.1.254 --type=he_shared",
        "hosted-engine --set-shared-config mnt_options backup-volfile-servers=gl2:gl3 --type=he_local",
    ]

    static func arguments(_ command: String) -> [String] {
        Array(command.split(separator: " ").dropFirst().map(String.init))
    }

    @Test func theDocumentedCommandsChangeOnlyTheirLines() throws {
        let directory = try TemporaryDirectory("host-files")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "4M"])
        let host = Tool.environment(for: storage)
        let localBefore = try String(contentsOfFile: storage.hostedEngineConf, encoding: .utf8)
        let volumeBefore = try Files.readPrefix(storage.volume, count: 20480)
        for command in Self.documented {
            let arguments = Self.arguments(command)
            let result =
                arguments[1] == "mnt_options"
                ? try Tool.runOnTerminal(arguments, environment: host, answer: "y") : try Tool.run(arguments, environment: host)
            #expect(result.status == 0, "\(command): \(result)")
            if arguments.last == "--type=he_local" {
                #expect(result.stderr.contains("restart ovirt-ha-broker ovirt-ha-agent on this host") || result.stdout.contains("restart"))
            }
        }
        // This host's file: only the edited lines, in place, the new key appended; owner and mode kept.
        let expectedLocal =
            localBefore.replacingOccurrences(of: "mnt_options=\n", with: "mnt_options=backup-volfile-servers=gl2:gl3\n")
            + "network_test=tcp\ntcp_t_address=192.0.2.10\ntcp_t_port=22\n"
        #expect(try String(contentsOfFile: storage.hostedEngineConf, encoding: .utf8) == expectedLocal)
        let attributes = try FileManager.default.attributesOfItem(atPath: storage.hostedEngineConf)
        #expect((attributes[.posixPermissions] as? Int) == 0o440)
        if geteuid() == 0 {
            #expect((attributes[.ownerAccountID] as? Int) == 36 && (attributes[.groupOwnerAccountID] as? Int) == 36)
        }
        // The shared copy: its two lines; every other member byte for byte.
        let volumeAfter = try Files.readPrefix(storage.volume, count: 20480)
        let old = try TarArchive(bytes: volumeBefore, limits: Self.limits)
        let new = try TarArchive(bytes: volumeAfter, limits: Self.limits)
        for (oldMember, newMember) in zip(old.members, new.members) where oldMember.entry.path != "hosted-engine.conf" {
            #expect(Array(volumeAfter[newMember.span]) == Array(volumeBefore[oldMember.span]), "\(oldMember.entry.path) changed")
        }
        let shared = try #require(new.members.first { $0.entry.path == "hosted-engine.conf" }).contents
        #expect(
            String(decoding: shared, as: UTF8.self)
                == localBefore.replacingOccurrences(of: "gateway=192.0.2.1\n", with: "gateway=192.168.1.254\n")
                + "network_test=tcp\ntcp_t_address=192.0.2.10\ntcp_t_port=22\n")
        // Both as the HA agent reads them.
        let agent = try Command.run(Fixtures.script("configparser-oracle"), ["--agent", storage.hostedEngineConf]).requireSuccess().stdout
        #expect(agent.contains(#"["mnt_options", "backup-volfile-servers=gl2:gl3"]"#) && agent.contains(#"["tcp_t_port", "22"]"#))
        // Read back per type; without a type, a key of both files needs one.
        #expect(
            try Tool.run(["--get-shared-config", "tcp_t_port", "--type=he_local"], environment: host).stdout
                == "tcp_t_port : 22, type : he_local\n")
        let duplicate = try Tool.run(["--get-shared-config", "network_test"], environment: host)
        #expect(duplicate.status == 1)
        #expect(
            duplicate.stderr
                == "Duplicate key, please specify the key type.\nnetwork_test is in he_shared (hosted-engine.conf on the shared storage) and he_local (this host's hosted-engine.conf); add --type he_shared or --type he_local.\n"
        )
        // Each write saved what it replaced (the three network keys in one write, one backup);
        // the listing shows the local backups.
        let backups = try Tool.run(["--list-backups"], environment: host).stdout
        let rows = backups.split(separator: "\n").dropFirst().dropLast().map { $0.split(separator: " ").map(String.init) }
        #expect(rows.filter { $0[3] == "he-local" }.count == 2, "\(backups)")
        #expect(rows.filter { $0[3] == "he-conf" }.count == 2, "\(backups)")
        #expect(backups.split(separator: "\n").allSatisfy { $0.count <= 120 }, "\(backups)")
        // Each says how it differs from the file now: the first, before every change.
        let firstLocal = try #require(backups.split(separator: "\n").first { $0.contains(" he-local ") })
        #expect(firstLocal.contains("  hosted-engine.conf  mnt_options, network_test, tcp_t_addres"), "\(firstLocal)")

        // The first backup of this host's file, named by its id, restores it as it was, after showing what changes.
        let firstBackup = try #require(rows.first { $0[3] == "he-local" })[4]
        let dryRun = try Tool.run(["--restore-backup", firstBackup, "--dry-run"], environment: host)
        #expect(dryRun.status == 0)
        #expect(dryRun.stdout.contains("  hosted-engine.conf: mnt_options: 'backup-volfile-servers=gl2:gl3' -> ''"), "\(dryRun)")
        #expect(dryRun.stdout.contains("  hosted-engine.conf: tcp_t_port: '22' -> (not set)"), "\(dryRun)")
        let unconfirmed = try Tool.run(["--restore-backup", firstBackup], environment: host)
        #expect(unconfirmed.status == 1)
        #expect(unconfirmed.stderr.hasPrefix("Restoring this backup replaces this host's "), "\(unconfirmed)")
        #expect(try String(contentsOfFile: storage.hostedEngineConf, encoding: .utf8) == expectedLocal)
        let restored = try Tool.run(["--restore-backup", firstBackup, "--force"], environment: host)
        #expect(restored.status == 0, "\(restored)")
        #expect(try String(contentsOfFile: storage.hostedEngineConf, encoding: .utf8) == localBefore)
        #expect((try FileManager.default.attributesOfItem(atPath: storage.hostedEngineConf)[.posixPermissions] as? Int) == 0o440)

        // The first archive backup puts the shared copy back too, byte for byte.
        let firstArchive = try #require(rows.first { $0[3] == "he-conf" })[4]
        let archiveDryRun = try Tool.run(["--restore-backup", firstArchive, "--dry-run"], environment: host)
        #expect(archiveDryRun.stdout.contains("  hosted-engine.conf: network_test: 'tcp' -> (not set)"), "\(archiveDryRun)")
        #expect(try Tool.run(["--restore-backup", firstArchive, "--force"], environment: host).status == 0)
        #expect(try Files.readPrefix(storage.volume, count: 20480) == volumeBefore)
    }

    @Test func haConfLocalMaintenance() throws {
        let directory = try TemporaryDirectory("host-files-ha")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let host = Tool.environment(for: storage)
        let set = try Tool.run(["--set-shared-config", "local_maintenance", "True", "--type=ha"], environment: host)
        #expect(set.status == 0, "\(set)")
        #expect(set.stderr.contains("The HA agent reads ha.conf in every loop"))
        #expect(try String(contentsOfFile: storage.haConf, encoding: .utf8) == "local_maintenance=True\nlocal_maintenance_manual=False\n")
        #expect(
            try Tool.run(["--get-shared-config", "local_maintenance"], environment: host).stdout == "local_maintenance : True, type : ha\n")
        let refused = try Tool.run(["--set-shared-config", "local_maintenance", "true", "--type=ha"], environment: host)
        #expect(refused.status == 1)
        #expect(refused.stderr == "Invalid value 'true' for local_maintenance: expected True or False.\n")
        let all = try Tool.run(["--get-all-config", "--type", "ha"], environment: host)
        #expect(all.stdout == "type: ha\nlocal_maintenance: True\nlocal_maintenance_manual: False\n")
    }

    @Test func everyRuleIsRefusedAndNothingIsWritten() throws {
        let directory = try TemporaryDirectory("host-files-refused")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let host = Tool.environment(for: storage)
        let before = try Files.read(storage.hostedEngineConf)
        for (arguments, message) in [
            (["network_test", "arp"], "Invalid value 'arp' for network_test: expected dns, ping, tcp or none."),
            (["tcp_t_address", "bad host"], "Invalid value 'bad host' for tcp_t_address: expected a host name or an IP address"),
            (["tcp_t_port", "65536"], "Invalid value '65536' for tcp_t_port: expected a port number from 1 to 65535."),
            (["gateway", "gw.example.com"], "Invalid value 'gw.example.com' for gateway: expected an IP address"),
            (["host_id", "2"], "host_id cannot be set with this tool: it is part of this deployment's identity"),
            (["sdUUID", "not-a-uuid", "--force"], "Invalid value 'not-a-uuid' for sdUUID: expected a UUID"),
            (["storage", "nfs.example.com:/he/", "--force"], "Invalid value 'nfs.example.com:/he/' for storage: expected server:/path"),
            (["storage", "192.0.2.5,192.0.2.6", "--force"], "Invalid value '192.0.2.5,192.0.2.6' for storage: the storage domain is nfs"),
            (["mnt_options", "a=b"], "Setting mnt_options changes how the HA agent connects"),
            (
                ["mnt_options", "opt=$(reboot)", "--force"],
                "Invalid value 'opt=$(reboot)' for mnt_options: upstream's hosted-engine command sources"
            ),
            (
                ["mnt_options", "opt=a:~/x", "--force"],
                "Invalid value 'opt=a:~/x' for mnt_options: upstream's hosted-engine command sources"
            ),
            (["password", "pa ss", "--force"], "Invalid value '(secret)' for password: upstream's hosted-engine command sources"),
            (["iscsi_paths_blacklist", "eth0<>192.0.2.5"], "Invalid value 'eth0<>192.0.2.5' for iscsi_paths_blacklist:"),
            (["nfs_version", "4.1", "--force"], "Invalid value '4.1' for nfs_version: expected auto, v3, v4, v4_0, v4_1 or v4_2."),
            (["no_such_key", "x"], "Invalid configuration key no_such_key.\nAvailable keys are:\nhe_local : ['network_test'"),
        ] {
            let result = try Tool.run(["--set-shared-config"] + arguments + ["--type=he_local"], environment: host)
            #expect(result.status == 1, "\(arguments): \(result)")
            #expect(result.stderr.hasPrefix(message), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("pa ss"))
        }
        #expect(try Files.read(storage.hostedEngineConf) == before)
        #expect(!FileManager.default.fileExists(atPath: storage.backups))
    }

    /// A write killed after each step of the in-place write leaves the old file, the new one,
    /// or one cut short that the next command (a read) completes from the record beside it.
    @Test(arguments: InPlaceWriteStep.allCases)
    func aCrashAtEveryStepLeavesTheOldFileTheNewOrOneTheNextCommandCompletes(step: InPlaceWriteStep) throws {
        let directory = try TemporaryDirectory("host-files-crash")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        var host = Tool.environment(for: storage)
        let before = try Files.read(storage.hostedEngineConf)
        let after = before + Array("network_test=dns\n".utf8)
        host["HE_TEST_CRASH_LOCAL_WRITE"] = step.rawValue
        let crashed = try Tool.run(["--set-shared-config", "network_test", "dns", "--type=he_local"], environment: host)
        #expect(crashed.status == 137, "\(crashed)")
        let left = try Files.read(storage.hostedEngineConf)
        switch step {
        case .recordWritten: #expect(left == before)
        // hosted-engine.conf grows by a line, so its first half is written over with what it held.
        case .partlyWritten: #expect(left != after && left.count == before.count)
        case .written, .synchronized: #expect(left == after)
        }
        host["HE_TEST_CRASH_LOCAL_WRITE"] = nil
        let read = try Tool.run(["--get-shared-config", "network_test", "--type=he_local"], environment: host)
        #expect(read.stdout == "network_test : dns, type : he_local\n", "\(read)")
        let cutShort = step == .recordWritten || step == .partlyWritten
        #expect(read.stderr.contains("was completed from its record") == cutShort, "\(read)")
        #expect(try Files.read(storage.hostedEngineConf) == after)
        let again = try Tool.run(["--set-shared-config", "tcp_t_port", "22", "--type=he_local"], environment: host)
        #expect(again.status == 0, "\(again)")
        let folder = (storage.hostedEngineConf as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["hosted-engine.conf"])
        #expect(try Files.read(storage.hostedEngineConf) == after + Array("tcp_t_port=22\n".utf8))
    }

    /// iscsi_paths_blacklist's `<>` is a redirection to the shell that sources
    /// hosted-engine.conf: refused, or with --force written with a warning of what the shell
    /// makes of it, which bash then does (the key cut at the first `<>`, a stray file).
    @Test func iscsiPathsBlacklistWithForceSaysWhatTheShellDoes() throws {
        let directory = try TemporaryDirectory("host-files-iscsi")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let host = Tool.environment(for: storage)
        let refused = try Tool.run(
            ["--set-shared-config", "iscsi_paths_blacklist", "eth0<>192.0.2.5", "--type=he_local"], environment: host)
        #expect(refused.status == 1 && refused.stderr.hasSuffix("; pass --force to write it anyway.\n"), "\(refused)")
        let forced = try Tool.run(
            ["--set-shared-config", "iscsi_paths_blacklist", "eth0<>192.0.2.5,eth1<>192.0.2.6", "--type=he_local", "--force"],
            environment: host)
        #expect(forced.status == 0, "\(forced)")
        #expect(
            forced.stderr.contains(
                "WARNING: upstream's hosted-engine command sources hosted-engine.conf as a shell script: it will read iscsi_paths_blacklist as 'eth0' and, each time it runs, create empty files named '192.0.2.5,eth1', '192.0.2.6' in the folder it is run from (each '<>' opens one); the HA agent reads the whole value."
            ), "\(forced)")
        #expect(!forced.stderr.contains("WARNING: hosted-engine.conf:"), "the forced line is not warned about twice: \(forced)")
        let get = try Tool.run(["--get-shared-config", "iscsi_paths_blacklist", "--type=he_local"], environment: host)
        #expect(get.stdout == "iscsi_paths_blacklist : eth0<>192.0.2.5,eth1<>192.0.2.6, type : he_local\n")
        // What upstream's wrapper does with the line, as the warning says.
        let shell = directory.file("shell")
        try FileManager.default.createDirectory(atPath: shell, withIntermediateDirectories: true)
        let sourced = try Command.run(
            "bash", ["-c", "source \"$1\" 2>/dev/null; printf %s \"$iscsi_paths_blacklist\"", "bash", storage.hostedEngineConf],
            currentDirectory: shell)
        #expect(sourced.stdout == "eth0")
        #expect(try FileManager.default.contentsOfDirectory(atPath: shell).sorted() == ["192.0.2.5,eth1", "192.0.2.6"])
    }

    @Test func aSecondWriterOnTheHostWaitsForTheLock() throws {
        let directory = try TemporaryDirectory("host-files-lock")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let host = Tool.environment(for: storage)
        // Upstream's own writer takes flock on the file; hold it as it would.
        let held = directory.file("held")
        let holder = try Command.start(
            "python3",
            [
                "-c", "import fcntl,sys,time; f=open(sys.argv[1]); fcntl.flock(f, fcntl.LOCK_EX); open(sys.argv[2], 'w'); time.sleep(3)",
                storage.haConf, held,
            ])
        while !FileManager.default.fileExists(atPath: held) { usleep(10_000) }
        let blocked = try Tool.run(
            ["--set-shared-config", "local_maintenance", "True", "--type=ha", "--lock-timeout", "0.3"], environment: host)
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("is locked by another writer on this host (waited 0.3 s)"), "\(blocked)")
        // The holder named, from /proc/PID/fdinfo: its pid and command line.
        #expect(blocked.stderr.contains("(waited 0.3 s), held by process \(holder.pid) on this host ("), "\(blocked)")
        #expect(blocked.stderr.contains("python3 -c import fcntl,sys,time;"), "\(blocked)")
        _ = holder.wait()
        #expect(try Tool.run(["--set-shared-config", "local_maintenance", "True", "--type=ha"], environment: host).status == 0)
    }

    @Test func editingThisHostsFileValidatesAndWritesIt() throws {
        let directory = try TemporaryDirectory("host-files-edit")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        var host = Tool.environment(for: storage)
        let before = try String(contentsOfFile: storage.hostedEngineConf, encoding: .utf8)
        // First save changes host_id too: refused with it named; the second fixes it.
        let editor = try directory.write(
            "editor.sh",
            """
            #!/bin/sh
            if grep -q '^# hosted-engine: ' "$1"; then
                sed -i -e 's/^host_id=2$/host_id=1/' "$1"
            else
                sed -i -e 's/^gateway=.*/gateway=192.0.2.254/' -e 's/^host_id=1$/host_id=2/' "$1"
            fi
            """)
        chmod(editor, 0o755)
        host["EDITOR"] = editor
        let result = try Tool.run(["--edit-shared-config", "--type", "he_local"], environment: host)
        #expect(result.status == 0, "\(result)")
        #expect(
            try String(contentsOfFile: storage.hostedEngineConf, encoding: .utf8)
                == before.replacingOccurrences(of: "gateway=192.0.2.1\n", with: "gateway=192.0.2.254\n"))
        #expect(result.stderr.contains("restart ovirt-ha-broker ovirt-ha-agent"))
        let attributes = try FileManager.default.attributesOfItem(atPath: storage.hostedEngineConf)
        #expect((attributes[.posixPermissions] as? Int) == 0o440)
    }
}
