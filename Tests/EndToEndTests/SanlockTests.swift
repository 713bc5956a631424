import Foundation
import TestSupport
import Testing

/// Two stand-in hosts with sanlock daemons of their own on loop-device block storage
/// (scripts/sanlock-hosts), whose fcntl locks do not see each other's, as two hosts' do not.
/// Whether sanlock's daemon can run here (root, loop devices, mount namespaces), and why not.
enum SanlockAvailability {
    /// Run without Foundation's Process: traits are evaluated where a blocking wait on it can stall.
    static let reasonText: String? = {
        let output = "/tmp/hosted-engine-sanlock-check-\(getpid())"
        defer { unlink(output) }
        let status = system("'\(Fixtures.script("sanlock-hosts"))' check >'\(output)' 2>&1")
        guard status != 0 else { return nil }
        let said = (try? String(contentsOfFile: output, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return said.isEmpty ? "sanlock-hosts check failed" : said
    }()
    static var available: Bool { reasonText == nil }
    static var reason: Comment { Comment(rawValue: reasonText ?? "") }
}

@Suite(.enabled(if: SanlockAvailability.available, SanlockAvailability.reason))
struct SanlockTests {
    /// Both hosts, started (and joined to the lockspace unless `join` is false) for one test.
    final class Hosts {
        struct StartFailed: Error, CustomStringConvertible {
            let log: String
            var description: String { "sanlock-hosts start failed: \(log)" }
        }

        let directory: TemporaryDirectory
        let root: String

        init(_ label: String, join: Bool = true) throws {
            directory = try TemporaryDirectory(label)
            root = directory.file("hosts")
            // The daemons it leaves running keep Foundation's Process from seeing it end: system().
            let log = directory.file("start.log")
            let status = system(
                "'\(Fixtures.script("sanlock-hosts"))' start '\(root)' \(join ? "" : "--no-join") >'\(log)' 2>&1 </dev/null")
            guard status == 0 else { throw StartFailed(log: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "") }
        }

        deinit {
            _ = system("'\(Fixtures.script("sanlock-hosts"))' stop '\(root)' >/dev/null 2>&1 </dev/null")
        }

        var volume: String { (try? String(contentsOfFile: root + "/volume", encoding: .utf8))?.trimmingCharacters(in: .newlines) ?? "" }

        /// The tool on host `host`.
        func run(_ host: Int, _ arguments: [String], environment: [String] = []) throws -> CommandResult {
            try Command.run(Fixtures.script("sanlock-hosts"), ["run", root, String(host), "env"] + environment + [Tool.path] + arguments)
        }

        func start(_ host: Int, _ arguments: [String]) throws -> RunningCommand {
            try Command.start(Fixtures.script("sanlock-hosts"), ["run", root, String(host), Tool.path] + arguments)
        }

        /// Host `host`'s HA broker stand-in joins (`start`) or leaves (`stop`) the lockspace.
        func broker(_ host: Int, _ action: String) throws -> CommandResult {
            try Command.run(Fixtures.script("sanlock-hosts"), ["broker", root, String(host), action])
        }

        /// Host `host`'s sanlock daemon dies.
        func killDaemon(_ host: Int) throws {
            _ = try Command.run(Fixtures.script("sanlock-hosts"), ["kill-daemon", root, String(host)]).requireSuccess("kill-daemon")
        }

        /// vdsm tears the image down: its links under /run/vdsm/storage and its LVs go.
        func teardown(_ image: String) throws {
            _ = try Command.run(Fixtures.script("sanlock-hosts"), ["teardown", root, image]).requireSuccess("teardown")
        }

        /// The archive as it is on the storage (the first 20480 bytes of the volume's LUN).
        func archiveBytes() throws -> [UInt8] {
            Array(try Files.read(root + "/volume.img").prefix(20480))
        }

        /// Starts the tool on host `host`, paused `milliseconds` between its compare and its
        /// first write (HE_TEST_WRITE_DELAY_MS, test only), and returns once it holds the lease.
        func startHoldingTheLease(on host: Int, _ arguments: [String], milliseconds: Int) throws -> RunningCommand {
            let writer = try Command.start(
                Fixtures.script("sanlock-hosts"),
                ["run", root, String(host), "env", "HE_TEST_WRITE_DELAY_MS=\(milliseconds)", Tool.path] + arguments)
            try waitUntilHeld(on: host)
            return writer
        }

        /// Waits until host `host`'s daemon lists the tool's lease as held.
        func waitUntilHeld(on host: Int) throws {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let status = try Command.run(Fixtures.script("sanlock-hosts"), ["run", root, String(host), "sanlock", "client", "status"])
                if status.stdout.contains("r hosted-engine:hosted-engine-config:") { return }
                usleep(100_000)
            }
            Issue.record("host \(host) never held the lease")
        }

        /// Holds the tool's lease from host `host` for `seconds`, as a writer there would.
        func holdLease(on host: Int, seconds: Int) throws -> RunningCommand {
            let device = try #require(try String(contentsOfFile: root + "/devices", encoding: .utf8).split(separator: " ").first)
            return try Command.start(
                Fixtures.script("sanlock-hosts"),
                [
                    "run", root, String(host), "sanlock", "client", "command", "-r", "hosted-engine:hosted-engine-config:\(device):8388608",
                    "-c", "/bin/sleep", String(seconds),
                ])
        }
    }

    @Test func aWriterOnOneHostWaitsWhileTheOtherHoldsTheLease() throws {
        let hosts = try Hosts("sanlock-wait")
        // The first write makes the lease's area on the volume.
        let first = try hosts.run(1, ["--set-shared-config", "smtp-port", "2525", "--verbose"])
        #expect(first.status == 0, "\(first)")
        // A reused LUN: the old bytes where the lease goes are free space, initialized.
        #expect(first.stderr.contains("hosted-engine: sanlock: the lease's area at "), "\(first)")
        #expect(
            first.stderr.contains(
                "held bytes that are not a lease (left by an earlier use of the storage); wrote the lease hosted-engine-config there"),
            "\(first)")
        // The broker's join, found by name: no second join.
        #expect(first.stderr.contains("hosted-engine: sanlock: the hosted-engine lockspace is joined on this host as host 1 ("), "\(first)")
        // Nothing was linked under /run/vdsm/storage: vdsm prepared the image.
        #expect(first.stderr.contains("vdsm prepared image e6bc4a37-0d8f-4e8e-9d77-6f4b8d0d6d3c"), "\(first)")
        #expect(first.stderr.contains("hosted-engine: sanlock: holding the lease hosted-engine-config at "), "\(first)")
        #expect(first.stderr.contains(" as host 1 of lockspace hosted-engine"), "\(first)")

        let holder = try hosts.holdLease(on: 2, seconds: 6)
        try hosts.waitUntilHeld(on: 2)
        let refused = try hosts.run(1, ["--set-shared-config", "smtp-port", "2526", "--lock-timeout", "1"])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("is locked by another writer (waited 1 s)"), "\(refused)")
        // Who holds it, from the lease's leader record: host 2.
        #expect(refused.stderr.contains(", the sanlock lease is held by host 2 (host_id in its hosted-engine.conf);"), "\(refused)")
        let waited = try hosts.run(1, ["--set-shared-config", "smtp-port", "2527", "--lock-timeout", "20"])
        #expect(waited.status == 0, "\(waited)")
        _ = holder.wait()
        #expect(try hosts.run(2, ["--get-shared-config", "smtp-port"]).stdout == "smtp-port : 2527, type : broker\n")
    }

    /// sanlock releases a dead writer's lease: the other host's next writer gets it, and the
    /// journal settles the dead one's write.
    @Test func aWriterKilledHoldingTheLeaseDoesNotBlockTheNext() throws {
        let hosts = try Hosts("sanlock-killed")
        let crashed = try hosts.run(
            1, ["--set-shared-config", "smtp-server", "crashed.example.com"], environment: ["HE_TEST_CRASH_AFTER_BYTES=45056"])
        #expect(crashed.status == 137, "\(crashed)")
        let next = try hosts.run(2, ["--set-shared-config", "smtp-port", "2700", "--lock-timeout", "10"])
        #expect(next.status == 0, "\(next)")
        #expect(next.stderr.contains("was completed from its journal"), "\(next)")
        let all = try hosts.run(1, ["--get-all-config", "--type", "broker"])
        #expect(all.stdout.contains("\nsmtp-port: 2700\n") && all.stdout.contains("\nsmtp-server: crashed.example.com\n"), "\(all)")
    }

    /// Sets of different keys on both hosts at once all land: the lease is shared, so each set
    /// that finds the volume moved on makes its change again.
    @Test func concurrentSetsOnBothHostsAllLand() throws {
        let hosts = try Hosts("sanlock-sets")
        let changes: [(host: Int, key: String, value: String, type: String)] = [
            (1, "smtp-server", "mail.example.com", "broker"), (2, "smtp-port", "2525", "broker"),
            (1, "source-email", "he@example.com", "broker"), (2, "destination-emails", "ops@example.com", "broker"),
            (1, "network_test", "dns", "he_shared"), (2, "tcp_t_port", "22", "he_shared"),
        ]
        let running = try changes.map { try hosts.start($0.host, ["--set-shared-config", $0.key, $0.value, "--type", $0.type, "--force"]) }
        let results = running.map { $0.wait() }
        #expect(results.map { $0.status } == [0, 0, 0, 0, 0, 0], "\(results)")
        let all = try hosts.run(2, ["--get-all-config"])
        for change in changes { #expect(all.stdout.contains("\n\(change.key): \(change.value)\n"), "\(change.key)\n\(all)") }
    }

    /// A file volume too small for the lease in it (upstream's dd leaves 20480 bytes) keeps it
    /// in a file beside it.
    @Test func aSmallFileVolumeKeepsItsLeaseBesideIt() throws {
        let hosts = try Hosts("sanlock-small")
        let small = try UpstreamStorage.makeStorage(in: hosts.directory, arguments: ["--style", "deploy", "--shrink", "--no-ovf-store"])
        let set = try hosts.run(1, ["--set-shared-config", "smtp-port", "2525", "--volume", small.volume, "--verbose"])
        #expect(set.status == 0, "\(set)")
        let real = URL(fileURLWithPath: small.volume).resolvingSymlinksInPath().path
        #expect(
            set.stderr.contains("hosted-engine: sanlock: holding the lease hosted-engine-config at \(real).hosted-engine-lease:0"), "\(set)"
        )
        #expect(try Files.size(small.volume) == 20480, "the volume did not grow")
        #expect(try Files.size(small.volume + ".hosted-engine-lease") == 1 << 20)
    }

    /// With the agents stopped the lockspace is not joined: the writer joins it as this host's
    /// id for its write (about 20 seconds), says so, and leaves it again.
    @Test func aWriterJoinsTheLockspaceWhenTheAgentsHaveNot() throws {
        let hosts = try Hosts("sanlock-join", join: false)
        let set = try hosts.run(1, ["--set-shared-config", "smtp-port", "2525", "--verbose", "--lock-timeout", "60"])
        #expect(set.status == 0, "\(set)")
        #expect(
            set.stderr.contains(
                "The hosted-engine lockspace is not joined on this host (are ovirt-ha-broker and ovirt-ha-agent stopped?): joining it as host 1 for this write, as the broker does, which takes about 20 seconds."
            ), "\(set)")
        // Through vdsm's link, as the broker joins: the lockspace image is prepared first.
        #expect(
            set.stderr.contains(
                "hosted-engine: sanlock: joined the lockspace as host 1 through \(hosts.root.replacingOccurrences(of: "//", with: "/"))/storage/run/vdsm/storage/"
            ),
            "\(set)")
        #expect(set.stderr.contains("hosted-engine: sanlock: left the lockspace hosted-engine"), "\(set)")
        let status = try Command.run(Fixtures.script("sanlock-hosts"), ["run", hosts.root, "1", "sanlock", "client", "status"])
        #expect(!status.stdout.contains("s hosted-engine:"), "left again: \(status)")
        // The broker joins afterwards as it always does.
        let broker = try hosts.broker(1, "start")
        #expect(broker.status == 0, "\(broker)")
    }

    /// Where no sanlock daemon runs (this machine outside the stand-in hosts), the fcntl lock
    /// alone guards the write, said under --verbose.
    @Test func withoutADaemonTheFcntlLockAloneGuards() throws {
        let directory = try TemporaryDirectory("sanlock-none")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "64M", "--no-ovf-store"])
        let set = try Tool.run(["--set-shared-config", "smtp-port", "2525", "--verbose"], environment: Tool.environment(for: storage))
        #expect(set.status == 0, "\(set)")
        #expect(set.stderr.contains("hosted-engine: sanlock: "), "\(set)")
        #expect(set.stderr.contains("the fcntl lock alone guards"), "\(set)")
    }

    /// The HA broker stopped (it leaves the lockspace) and started again around writes: the
    /// tool joins through the broker's own path while it is stopped, and the broker's join
    /// afterwards finds no second lockspace in its way; every write lands.
    @Test func writesWhileTheBrokerStopsAndStartsAgain() throws {
        let hosts = try Hosts("sanlock-broker")
        #expect(try hosts.run(1, ["--set-shared-config", "smtp-port", "2601"]).status == 0)
        #expect(try hosts.broker(1, "stop").status == 0)
        let alone = try hosts.run(1, ["--set-shared-config", "smtp-port", "2602", "--lock-timeout", "60"])
        #expect(alone.status == 0, "\(alone)")
        #expect(alone.stderr.contains("joining it as host 1 for this write"), "\(alone)")
        let started = try hosts.broker(1, "start")
        #expect(started.status == 0, "\(started)")
        let again = try hosts.run(1, ["--set-shared-config", "smtp-port", "2603", "--verbose"])
        #expect(again.status == 0, "\(again)")
        #expect(again.stderr.contains("the hosted-engine lockspace is joined on this host as host 1"), "\(again)")
        #expect(try hosts.run(2, ["--get-shared-config", "smtp-port"]).stdout == "smtp-port : 2603, type : broker\n")
    }

    /// With this host's sanlock daemon dead, every kind of write to the block domain is refused
    /// in one line and writes nothing; --without-sanlock writes, with a warning.
    @Test func aDeadDaemonRefusesEveryWriteOnBlockStorage() throws {
        let hosts = try Hosts("sanlock-dead")
        let directory = hosts.directory
        let backup = directory.file("backup.tar")
        #expect(try hosts.run(1, ["--download-archive", backup]).status == 0)
        let ovf = directory.file("ovf")
        #expect(try hosts.run(1, ["--download-ovf-store", ovf]).status == 0)
        // The archive downloaded above is no longer what the volume holds: its upload would write.
        #expect(try hosts.run(1, ["--set-shared-config", "smtp-port", "2599"]).status == 0)
        let checkout = directory.file("checkout")
        #expect(try hosts.run(1, ["--checkout-config", checkout]).status == 0)
        try directory.write(
            "checkout/broker.conf",
            try String(contentsOfFile: checkout + "/broker.conf", encoding: .utf8).replacingOccurrences(
                of: "smtp-port=2599", with: "smtp-port=2626"))
        let listed = try hosts.run(1, ["--list-backups", "--json"])
        let backups = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdoutBytes)) as? [[String: Any]])
        let backupID = try #require(backups.last { ($0["kind"] as? String) == "he-conf" }?["path"] as? String)
        let editor = try directory.write("editor.sh", "#!/bin/sh\nsed -i 's/^smtp-server=.*/smtp-server=relay.example.com/' \"$1\"\n")
        chmod(editor, 0o755)
        try hosts.killDaemon(1)
        let before = try hosts.archiveBytes()
        let writes: [[String]] = [
            ["--set-shared-config", "smtp-port", "2600"], ["--set-shared-config", "network_test", "dns", "--type", "he_shared"],
            ["--set-shared-config", "mem_size", "32768", "--type", "vm", "--force"], ["--upload-archive", backup, "--force"],
            ["--upload-ovf-store", ovf, "--force"], ["--push-config", checkout], ["--restore-backup", backupID, "--force"],
            ["--edit-shared-config", "--type", "broker"],
        ]
        for write in writes {
            let refused = try hosts.run(1, write, environment: ["EDITOR=\(editor)"])
            #expect(refused.status == 1, "\(write): \(refused)")
            #expect(refused.stderr.contains("without the sanlock lease (no sanlock daemon answers on this host"), "\(write): \(refused)")
            #expect(refused.stderr.contains("nothing was written") && refused.stderr.contains("--without-sanlock"), "\(refused)")
        }
        #expect(try hosts.archiveBytes() == before)
        #expect(try hosts.run(2, ["--get-shared-config", "mem_size", "--type", "vm"]).stdout == "mem_size : 16384, type : vm\n")
        let forced = try hosts.run(1, ["--set-shared-config", "smtp-port", "2600", "--without-sanlock"])
        #expect(forced.status == 0, "\(forced)")
        #expect(forced.stderr.contains("without the sanlock lease (no sanlock daemon answers on this host"), "\(forced)")
        #expect(forced.stderr.contains("as --without-sanlock asks: a write from another host at the same moment can be lost."), "\(forced)")
        #expect(try hosts.run(2, ["--get-shared-config", "smtp-port"]).stdout == "smtp-port : 2600, type : broker\n")
    }

    /// The daemon dies while a writer holds the lease: the writer stops before its next byte
    /// and says so (no silent exit 141), and nothing was written.
    @Test func aLeaseLostMidWayIsSaidAndWritesNothing() throws {
        let hosts = try Hosts("sanlock-lost")
        let before = try hosts.archiveBytes()
        let writer = try hosts.startHoldingTheLease(on: 2, ["--set-shared-config", "smtp-port", "2700"], milliseconds: 8000)
        try hosts.killDaemon(2)
        let result = writer.wait()
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("The sanlock lease on "), "\(result)")
        #expect(
            result.stderr.contains("was lost before this write began (the sanlock daemon on this host stopped); nothing was written."),
            "\(result)")
        #expect(try hosts.archiveBytes() == before)
    }

    /// After vdsm tore the images down (a reboot, the agent stopped), reads and writes ask vdsm
    /// to prepare them again; the OVF_STOREs of this block domain (no .meta files) are found
    /// through vdsm, and --verify-storage finds the domain healthy.
    @Test func unpreparedImagesAndOvfStoresThroughVdsm() throws {
        let hosts = try Hosts("sanlock-vdsm")
        let set = try hosts.run(1, ["--set-shared-config", "mem_size", "32768", "--type", "vm", "--force"])
        #expect(set.status == 0, "\(set)")
        for image in [
            "e6bc4a37-0d8f-4e8e-9d77-6f4b8d0d6d3c", "1d4e6c2a-5b3f-4c8d-9e0a-7f6b5c4d3e2a", "2e5f7d3b-6c4a-4d9e-8f1b-8a7c6d5e4f3b",
        ] {
            try hosts.teardown(image)
        }
        #expect(try hosts.run(2, ["--get-shared-config", "mem_size", "--type", "vm"]).stdout == "mem_size : 32768, type : vm\n")
        let verified = try hosts.run(2, ["--verify-storage"])
        #expect(verified.status == 0, "\(verified)")
        #expect(verified.stdout.contains("No problems found."), "\(verified)")
        try hosts.teardown("e6bc4a37-0d8f-4e8e-9d77-6f4b8d0d6d3c")
        let again = try hosts.run(1, ["--set-shared-config", "smtp-server", "mail.example.com"])
        #expect(again.status == 0, "\(again)")
    }

    /// Every kind of write, on the stand-in host with its broker joined through vdsm's link, on a
    /// reused LUN, with nothing prepared at first: each lands, and the domain verifies healthy.
    @Test func everyWritePathOnTheStandInHost() throws {
        let hosts = try Hosts("sanlock-every")
        let directory = hosts.directory
        func expectDone(_ host: Int, _ arguments: [String], environment: [String] = []) throws {
            let result = try hosts.run(host, arguments, environment: environment)
            #expect(result.status == 0, "\(arguments): \(result)")
        }
        try expectDone(1, ["--set-shared-config", "smtp-server", "mail.example.com"])
        try expectDone(2, ["--set-shared-config", "network_test", "dns", "--type", "he_shared"])
        try expectDone(2, ["--set-shared-config", "network_test", "dns", "--type", "he_local"])
        try expectDone(2, ["--set-shared-config", "local_maintenance", "True", "--type", "ha"])
        try expectDone(1, ["--set-shared-config", "mem_size", "32768", "--type", "vm", "--force"])
        let checkout = directory.file("checkout")
        try expectDone(2, ["--checkout-config", checkout])
        let broker = try String(contentsOfFile: checkout + "/broker.conf", encoding: .utf8)
        try directory.write("checkout/broker.conf", broker.replacingOccurrences(of: "smtp-port=25", with: "smtp-port=2525"))
        try expectDone(2, ["--push-config", checkout])
        let saved = directory.file("saved.tar")
        try expectDone(1, ["--download-archive", saved])
        try expectDone(1, ["--set-shared-config", "smtp-port", "2626"])
        try expectDone(2, ["--upload-archive", saved, "--force"])
        let listed = try hosts.run(1, ["--list-backups", "--json"])
        let backups = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdoutBytes)) as? [[String: Any]])
        let newest = try #require(backups.last { ($0["kind"] as? String) == "he-conf" })
        try expectDone(1, ["--restore-backup", try #require(newest["path"] as? String), "--force"])
        let editor = try directory.write("editor.sh", "#!/bin/sh\nsed -i 's/^smtp-server=.*/smtp-server=relay.example.com/' \"$1\"\n")
        chmod(editor, 0o755)
        try expectDone(2, ["--edit-shared-config", "--type", "broker"], environment: ["EDITOR=\(editor)"])
        let ovf = directory.file("ovf")
        try expectDone(1, ["--download-ovf-store", ovf])
        try expectDone(2, ["--upload-ovf-store", ovf, "--force"])
        #expect(try hosts.run(1, ["--get-shared-config", "smtp-server"]).stdout == "smtp-server : relay.example.com, type : broker\n")
        #expect(try hosts.run(2, ["--get-shared-config", "mem_size", "--type", "vm"]).stdout == "mem_size : 32768, type : vm\n")
        let text = try String(contentsOfFile: hosts.root + "/host2/ha.conf", encoding: .utf8)
        #expect(text.contains("local_maintenance=True\n"), "\(text)")
        let verified = try hosts.run(2, ["--verify-storage"])
        #expect(verified.status == 0 && verified.stdout.contains("No problems found."), "\(verified)")

        // The broker stopped: a configuration write and an OVF_STORE write join the lockspace
        // themselves, as the broker would; started again, it joins as always.
        #expect(try hosts.broker(2, "stop").status == 0)
        try expectDone(2, ["--set-shared-config", "smtp-port", "2727", "--lock-timeout", "60"])
        try expectDone(2, ["--set-shared-config", "mem_size", "16384", "--type", "vm", "--force", "--lock-timeout", "60"])
        #expect(try hosts.broker(2, "start").status == 0)
        try expectDone(2, ["--set-shared-config", "smtp-port", "2828"])
        #expect(try hosts.run(1, ["--get-shared-config", "smtp-port"]).stdout == "smtp-port : 2828, type : broker\n")
    }

    /// ovirt-ha-agent stopping makes the broker leave the lockspace, and sanlock kills the
    /// lease's holder at once (SIGKILL): the write in progress dies, the volume holds the old
    /// archive or a record the next command completes, and the next write (which joins the
    /// lockspace itself while the broker is stopped) lands.
    @Test func aWriteWhenTheBrokerLeavesIsKilledAndNothingIsLost() throws {
        let hosts = try Hosts("sanlock-leave")
        let before = try hosts.archiveBytes()
        let writer = try hosts.startHoldingTheLease(on: 2, ["--set-shared-config", "smtp-port", "2900"], milliseconds: 8000)
        #expect(try hosts.broker(2, "stop").status == 0)
        let killed = writer.wait()
        #expect(killed.status == 9 || killed.status == 137, "killed by SIGKILL: \(killed)")
        #expect(try hosts.archiveBytes() == before)
        let next = try hosts.run(2, ["--set-shared-config", "smtp-port", "2901", "--lock-timeout", "60"])
        #expect(next.status == 0, "\(next)")
        #expect(try hosts.run(1, ["--get-shared-config", "smtp-port"]).stdout == "smtp-port : 2901, type : broker\n")
    }
}
