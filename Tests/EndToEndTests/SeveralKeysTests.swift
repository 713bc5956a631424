import Foundation
import TestSupport
import Testing

/// `--set-shared-config --set KEY=VALUE ...` writes several keys at once, all or none, and the
/// rules across keys (upstream's network monitor) are checked on every write.
@Suite struct SeveralKeysTests {
    static let smallVolume = ["--size", "1M", "--no-ovf-store"]

    @Test func theNetworkTestsKeysGoTogetherOrNotAtAll() throws {
        let directory = try TemporaryDirectory("several-network")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let host = Tool.environment(for: storage)
        for type in ["he_shared", "he_local"] {
            let volumeBefore = try Files.read(storage.volume)
            let localBefore = try Files.read(storage.hostedEngineConf)
            // network_test=tcp alone is the state upstream's broker refuses to start its monitor in.
            let alone = try Tool.run(["--set-shared-config", "network_test", "tcp", "--type", type], environment: host)
            #expect(alone.status == 1, "\(alone)")
            #expect(
                alone.stderr.contains(
                    "network_test is tcp, but tcp_t_address and tcp_t_port are not set: the HA broker's network monitor does not start (broker/submonitors/network.py raises 'tcp test requires tcp_t_address and tcp_t_port')"
                ), "\(alone)")
            #expect(alone.stderr.hasSuffix("nothing was written\n") && alone.stderr.split(separator: "\n").count == 1, "\(alone)")
            // Half of it, in one write, is refused as a whole.
            let half = try Tool.run(
                ["--set-shared-config", "--set", "network_test=tcp", "--set", "tcp_t_address=192.0.2.10", "--type", type], environment: host
            )
            #expect(half.status == 1 && half.stderr.contains("but tcp_t_port is not set"), "\(half)")
            #expect(try Files.read(storage.volume) == volumeBefore && (try Files.read(storage.hostedEngineConf)) == localBefore)

            let dryRun = try Tool.run(
                [
                    "--set-shared-config", "--set", "network_test=tcp", "--set", "tcp_t_address=192.0.2.10", "--set", "tcp_t_port=22",
                    "--type", type, "--dry-run",
                ],
                environment: host)
            #expect(dryRun.status == 0)
            #expect(
                dryRun.stdout == """
                    Would set network_test (type \(type)): (not set) -> 'tcp'
                    Would set tcp_t_address (type \(type)): (not set) -> '192.0.2.10'
                    Would set tcp_t_port (type \(type)): (not set) -> '22'

                    """, "\(dryRun)")
            let all = try Tool.run(
                [
                    "--set-shared-config", "--set", "network_test=tcp", "--set", "tcp_t_address=192.0.2.10", "--set", "tcp_t_port=22",
                    "--type", type,
                ],
                environment: host)
            #expect(all.status == 0, "\(all)")
            for (key, value) in [("network_test", "tcp"), ("tcp_t_address", "192.0.2.10"), ("tcp_t_port", "22")] {
                #expect(
                    try Tool.run(["--get-shared-config", key, "--type", type], environment: host).stdout
                        == "\(key) : \(value), type : \(type)\n")
            }
        }
        // One write for the three shared keys: one version, one backup.
        let history = try Tool.run(["--history", "--json"], environment: host)
        let versions = try #require(try JSONSerialization.jsonObject(with: Data(history.stdoutBytes)) as? [[String: Any]])
        #expect(versions.first?["keys"] as? [String] == ["he_shared:network_test", "he_shared:tcp_t_address", "he_shared:tcp_t_port"])
        #expect(versions.count == 2)
    }

    @Test func keysOfBothArchiveFilesGoInOneWrite() throws {
        let directory = try TemporaryDirectory("several-archive")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let host = Tool.environment(for: storage)
        let result = try Tool.run(
            [
                "--set-shared-config", "--set", "smtp-server=mail.example.com", "--set", "smtp-port=587", "--set", "tcp_t_port=443",
                "--json",
            ],
            environment: host)
        // tcp_t_port is in he_shared and he_local: without --type it is ambiguous, and nothing is written.
        #expect(result.status == 1 && result.stderr.hasPrefix("Duplicate key, please specify the key type."), "\(result)")
        let written = try Tool.run(
            [
                "--set-shared-config", "--set", "smtp-server=mail.example.com", "--set", "smtp-port=587", "--set",
                "source-email=he@example.com", "--json",
            ],
            environment: host)
        #expect(written.status == 0, "\(written)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(written.stdoutBytes)) as? [String: Any])
        #expect(report["changed"] as? Bool == true && (report["backups"] as? [String])?.count == 1)
        #expect((report["keys"] as? [[String: Any]])?.map { $0["key"] as? String } == ["smtp-server", "smtp-port", "source-email"])
        #expect(try Tool.run(["--get-shared-config", "smtp-port"], environment: host).stdout == "smtp-port : 587, type : broker\n")
        let again = try Tool.run(
            ["--set-shared-config", "--set", "smtp-server=mail.example.com", "--set", "smtp-port=587"], environment: host)
        #expect(again.status == 0 && again.stdout == "Every key already holds its value; nothing was written.\n", "\(again)")
    }

    @Test(
        arguments: [
            (
                ["--set", "smtp-port=25", "--set", "smtp-port=26"], 1,
                "smtp-port is given twice; give each key once. Nothing was written.\n"
            ),
            (
                ["--set", "smtp-port=26", "--set", "local_maintenance=True"], 1,
                "smtp-port, local_maintenance cannot be set in one write: they live in different places (smtp-port (the configuration archive), local_maintenance (this host's ha.conf)), and one write changes one place: set them in one command per place. Nothing was written.\n"
            ),
            (
                ["--set", "mem_size=4096", "--set", "num_of_sockets=2", "--type", "vm"], 1,
                "mem_size, num_of_sockets cannot be set in one write: mem_size is a vm key, and each vm set rewrites the engine VM's OVF on every OVF_STORE copy: set vm keys one at a time. Nothing was written.\n"
            ),
            (
                ["smtp-port", "26", "--set", "smtp-server=x"], 64,
                "hosted-engine --set-shared-config: give KEY VALUE or --set KEY=VALUE ..., not both (put smtp-port in a --set too). Usage: hosted-engine --set-shared-config KEY VALUE [--type TYPE] | --set KEY=VALUE .... See hosted-engine --set-shared-config --help.\n"
            ),
            (
                ["--set", "smtp-port"], 64,
                "hosted-engine --set-shared-config: --set takes KEY=VALUE (an empty value is KEY=), not 'smtp-port'. Usage: hosted-engine --set-shared-config KEY VALUE [--type TYPE] | --set KEY=VALUE .... See hosted-engine --set-shared-config --help.\n"
            ),
            (
                ["--set", "smtp-port=0", "--set", "smtp-server=mail.example.com"], 1,
                "Invalid value '0' for smtp-port: expected a port number from 1 to 65535.\n"
            ),
        ] as [([String], Int32, String)])
    func badSetsOfSeveralKeysAreRefusedWhole(arguments: [String], status: Int32, message: String) throws {
        let directory = try TemporaryDirectory("several-refused")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let before = try Files.read(storage.volume)
        let result = try Tool.run(["--set-shared-config"] + arguments, environment: Tool.environment(for: storage))
        #expect(result.status == status, "\(result)")
        #expect(result.stderr == message)
        #expect(try Files.read(storage.volume) == before)
    }

    /// A file that is already in the state the rule refuses (written by hand) can still take
    /// other sets; --verify-storage and --validate-config name the problem.
    @Test func anExistingBreachIsReportedNotBlocking() throws {
        let directory = try TemporaryDirectory("several-breach")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let host = Tool.environment(for: storage)
        let conf = try String(contentsOfFile: storage.hostedEngineConf, encoding: .utf8)
        chmod(storage.hostedEngineConf, 0o640)
        try (conf + "network_test=tcp\n").write(toFile: storage.hostedEngineConf, atomically: false, encoding: .utf8)
        let other = try Tool.run(["--set-shared-config", "mnt_options", "", "--type", "he_local", "--force"], environment: host)
        #expect(other.status == 0 || other.stderr.contains("already"), "\(other)")
        let verify = try Tool.run(["--verify-storage"], environment: host)
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("network_test is tcp, but tcp_t_address and tcp_t_port are not set"), "\(verify)")
    }
}
