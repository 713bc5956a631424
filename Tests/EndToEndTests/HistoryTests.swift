import Foundation
import TestSupport
import Testing

/// The shared history, used as administrators on two hosts of one cluster would: every host
/// sees every version, restores any of them, and recovers the last change after damage.
@Suite struct HistoryTests {
    /// Host 1 is the demo's (host_id=1); host 2 has its own hosted-engine.conf (host_id=2) and
    /// its own backup folder, as another machine would.
    struct Cluster {
        let directory: TemporaryDirectory
        let storage: UpstreamStorage.Storage
        let host1: [String: String?]
        let host2: [String: String?]

        init(_ label: String, arguments: [String] = []) throws {
            directory = try TemporaryDirectory(label)
            storage = try UpstreamStorage.makeStorage(in: directory, arguments: arguments + ["--no-ovf-store"])
            host1 = Tool.environment(for: storage)
            let conf = try String(contentsOfFile: storage.hostedEngineConf, encoding: .utf8)
                .replacingOccurrences(of: "host_id=1\n", with: "host_id=2\n")
            var host2 = host1
            host2["HE_CONF"] = try directory.write("host2-hosted-engine.conf", conf)
            host2["HE_BACKUP_DIR"] = directory.file("host2-backups")
            self.host2 = host2
        }

        func run(_ arguments: [String], on host: [String: String?]) throws -> CommandResult {
            try Tool.run(arguments, environment: host)
        }
    }

    @Test func everyHostSeesEveryVersionAndRestoresAnyOfThem() throws {
        let cluster = try Cluster("history-hosts")
        #expect(try cluster.run(["--set-shared-config", "smtp-server", "mail.example.com"], on: cluster.host1).status == 0)
        #expect(try cluster.run(["--set-shared-config", "smtp-port", "2525"], on: cluster.host2).status == 0)

        let history = try cluster.run(["--history"], on: cluster.host2)
        #expect(history.status == 0, "\(history)")
        let lines = history.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5 && lines[0].hasPrefix("ID "), "\(lines)")
        #expect(
            lines.count == 5 && lines[1].hasPrefix("v3 ") && lines[1].contains("host 2 (") && lines[1].hasSuffix("broker:smtp-port  (now)"))
        #expect(
            lines.count == 5 && lines[2].hasPrefix("v2 ") && lines[2].contains("host 1 (")
                && lines[2].contains("--set-shared-config smtp-server"))
        #expect(lines.count == 5 && lines[3].hasPrefix("v1 ") && lines[3].contains("(found on the volume)"))
        // Host 2's own backups hold only its own write; the history holds both hosts'.
        let backups = try cluster.run(["--list-backups", "--json"], on: cluster.host2)
        #expect((try JSONSerialization.jsonObject(with: Data(backups.stdoutBytes)) as? [Any])?.count == 1)

        let shown = try cluster.run(["--show-version", "v2"], on: cluster.host2)
        #expect(shown.status == 0 && shown.stdout.contains("host: host 1 (") && shown.stdout.contains("\nsmtp-server: mail.example.com\n"))
        #expect(shown.stdout.contains("\nsmtp-port: 25\n"), "\(shown)")
        let toNow = try cluster.run(["--show-version", "v1", "--diff"], on: cluster.host2)
        #expect(toNow.stdout.contains("From v1 to now:") && toNow.stdout.contains("email.smtp-server: 'localhost' -> 'mail.example.com'"))
        #expect(toNow.stdout.contains("email.smtp-port: '25' -> '2525'"))
        let between = try cluster.run(["--show-version", "v2", "--diff", "v3"], on: cluster.host2)
        #expect(between.stdout == "From v2 to v3:\n  broker.conf: email.smtp-port: '25' -> '2525'\n", "\(between)")

        // One key back from v1; the later change of another key stays.
        let one = try cluster.run(["--restore-backup", "v1", "--key", "smtp-server"], on: cluster.host2)
        #expect(one.status == 0, "\(one)")
        #expect(
            try cluster.run(["--get-shared-config", "smtp-server"], on: cluster.host1).stdout == "smtp-server : localhost, type : broker\n")
        #expect(try cluster.run(["--get-shared-config", "smtp-port"], on: cluster.host1).stdout == "smtp-port : 2525, type : broker\n")
        let json = try cluster.run(["--history", "--json"], on: cluster.host1)
        let versions = try #require(try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [[String: Any]])
        #expect(versions.first?["id"] as? String == "v4" && versions.first?["host_id"] as? Int == 2)
        #expect(versions.first?["command"] as? String == "--restore-backup v1 --key smtp-server")
        #expect(versions.first?["keys"] as? [String] == ["broker:smtp-server"] && versions.first?["current"] as? Bool == true)

        // Host 1 is lost with its backups: host 2 restores a whole version.
        try FileManager.default.removeItem(atPath: cluster.storage.backups)
        let whole = try cluster.run(["--restore-backup", "v3", "--force"], on: cluster.host2)
        #expect(whole.status == 0, "\(whole)")
        #expect(
            try cluster.run(["--get-shared-config", "smtp-server"], on: cluster.host2).stdout
                == "smtp-server : mail.example.com, type : broker\n")
        let unknown = try cluster.run(["--restore-backup", "v99", "--force"], on: cluster.host2)
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "No version v99 in the shared history (it holds v1 to v5); list them with hosted-engine --history.\n")
    }

    /// The first 20480 bytes are lost after a set: the advice names the newest version, which
    /// holds that set, and the one command it gives brings it back.
    @Test(arguments: [["--size", "1G"], ["--style", "deploy", "--shrink"]])
    func afterDamageTheAdviceRestoresTheLastChange(layout: [String]) throws {
        let cluster = try Cluster("history-damage", arguments: layout)
        let set = try cluster.run(["--set-shared-config", "tcp_t_port", "443", "--type", "he_shared"], on: cluster.host1)
        #expect(set.status == 0, "\(set)")
        let zeros = try #require(FileHandle(forUpdatingAtPath: cluster.storage.volume))
        try zeros.write(contentsOf: Data(count: 20480))
        try zeros.close()

        let get = try cluster.run(["--get-shared-config", "tcp_t_port", "--type", "he_shared"], on: cluster.host2)
        #expect(get.status == 1)
        #expect(get.stderr.contains("The shared history's newest version, v2 of "), "\(get)")
        #expect(get.stderr.hasSuffix(", holds the last change: restore it with hosted-engine --restore-backup v2 --force.\n"))
        let verify = try cluster.run(["--verify-storage"], on: cluster.host2)
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("  history: ") && verify.stdout.contains("2 versions (v1 to v2"), "\(verify)")
        #expect(verify.stdout.contains("which holds the last change: hosted-engine --restore-backup v2 --force."))

        // The advice, run as it is printed.
        let advised = try #require(get.stderr.components(separatedBy: "restore it with hosted-engine ").last?.dropLast(2))
        let restored = try cluster.run(advised.split(separator: " ").map(String.init), on: cluster.host2)
        #expect(restored.status == 0, "\(restored)")
        #expect(
            try cluster.run(["--get-shared-config", "tcp_t_port", "--type", "he_shared"], on: cluster.host1).stdout
                == "tcp_t_port : 443, type : he_shared\n")
        #expect(try cluster.run(["--verify-storage"], on: cluster.host1).stdout.contains("the volume holds v3"))
    }

    /// A block device under 128 MiB has no room for a history beside the archive, the lease and
    /// the journal: writes go on without one, and asking for it says why, in one line.
    @Test(.enabled(if: geteuid() == 0 && Command.isAvailable("losetup"))) func aSmallBlockDeviceKeepsNoHistoryAndSaysSo() throws {
        let directory = try TemporaryDirectory("history-small-block")
        let file = try UpstreamStorage.makeVolume(
            at: try directory.vdsmFile("volume"), archive: try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory),
            size: 4 << 20)
        let loop = try Command.run("losetup", ["--find", "--show", file]).requireSuccess("losetup").stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        defer { _ = try? Command.run("losetup", ["-d", loop]) }
        try Files.giveToVdsm(loop)
        let environment: [String: String?] = ["HE_BACKUP_DIR": directory.file("backups")]
        let set = try Tool.run(
            ["--set-shared-config", "smtp-port", "2525", "--volume", loop, "--without-sanlock"], environment: environment)
        #expect(set.status == 0, "\(set)")
        for arguments in [["--history"], ["--show-version", "v1"]] {
            let asked = try Tool.run(arguments + ["--volume", loop], environment: environment)
            #expect(asked.status == 1, "\(asked)")
            #expect(
                asked.stderr
                    == "\(loop) keeps no shared history: it is a block device smaller than 128 MiB, with no room for one beside the archive, the lease and the journal; this host's backups remain (hosted-engine --list-backups).\n",
                "\(asked)")
        }
        #expect(
            try Tool.run(["--get-shared-config", "smtp-port", "--volume", loop], environment: environment).stdout
                == "smtp-port : 2525, type : broker\n")
        let verified = try Tool.run(["--verify-storage", "--volume", loop], environment: environment)
        #expect(
            verified.stdout.contains(
                "  history: none: a block device smaller than 128 MiB has no room for one; this host's backups remain\n"),
            "\(verified)")
    }

    /// A write killed part way leaves a temporary file; the next write removes it, and
    /// --prune-backups removes any an hour old; one being written now stays.
    @Test func temporaryFilesOfWritesCutShortDoNotPileUp() throws {
        let cluster = try Cluster("history-temporaries")
        let backups = cluster.storage.backups
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true)
        chmod(backups, 0o700)
        // A pid no process has, and this test's own (alive: being written).
        var gone: Int32 = 4_000_000
        while kill(gone, 0) == 0 || errno != ESRCH { gone -= 1 }
        let cutShort = backups + "/.hosted-engine-tmp-\(gone)-abc"
        let live = backups + "/.hosted-engine-tmp-\(getpid())-def"
        for path in [cutShort, live] { _ = FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3])) }
        #expect(try cluster.run(["--set-shared-config", "smtp-port", "2525"], on: cluster.host1).status == 0)
        #expect(!FileManager.default.fileExists(atPath: cutShort))
        #expect(FileManager.default.fileExists(atPath: live))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: live)
        #expect(try cluster.run(["--prune-backups", "--keep", "5"], on: cluster.host1).status == 0)
        #expect(!FileManager.default.fileExists(atPath: live))
    }
}
