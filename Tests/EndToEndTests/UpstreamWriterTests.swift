import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// This host's ha.conf and hosted-engine.conf have another writer: upstream's
/// `ConfigFile.set_and_write`, which vdsm calls when the engine moves a host into or out of
/// maintenance (scripts/stand-ins/config-file-writer follows it step by step: open r+, flock,
/// load by path, write at 0, truncate). Whatever the interleaving, both changes land.
struct UpstreamWriterTests {
    static let writer = Fixtures.script("stand-ins/config-file-writer")

    /// The upstream writer pauses after each of its steps while the tool sets another key.
    @Test(arguments: ["opened", "locked", "loaded", "written"])
    func theToolBetweenTheUpstreamWritersSteps(step: String) throws {
        let directory = try TemporaryDirectory("upstream-writer-\(step)")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let ready = directory.file("ready")
        let upstream = try Command.start(
            Self.writer, [storage.haConf, "local_maintenance", "True", "--pause-after", step, "1.5", "--ready", ready])
        while !FileManager.default.fileExists(atPath: ready) { usleep(10_000) }
        usleep(300_000)
        let set = try Tool.run(
            ["--set-shared-config", "local_maintenance_manual", "True", "--type", "ha", "--lock-timeout", "10"],
            environment: Tool.environment(for: storage))
        #expect(set.status == 0, "\(set)")
        let wrote = upstream.wait()
        #expect(wrote.status == 0, "\(wrote)")
        let text = try String(contentsOfFile: storage.haConf, encoding: .utf8)
        #expect(text.contains("local_maintenance=True\n") && text.contains("local_maintenance_manual=True\n"), "\(step): \(text)")
        let read = try Tool.run(["--get-all-config", "--type", "ha"], environment: Tool.environment(for: storage))
        #expect(read.stdout.contains("local_maintenance: True") && read.stdout.contains("local_maintenance_manual: True"), "\(read)")
    }

    /// The upstream writer opens the file and waits for the lock while the tool holds it (the
    /// tool slowed at its fsync): it then writes into the file that holds the tool's change,
    /// never into an inode renamed away, so neither change is lost.
    @Test(.enabled(if: Command.isAvailable("strace"), "strace is not installed"))
    func theUpstreamWriterWaitingOnTheToolsLock() throws {
        for file in ["ha", "he_local"] {
            let directory = try TemporaryDirectory("upstream-writer-waits-\(file)")
            let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
            let (path, key, theirs) =
                file == "ha"
                ? (storage.haConf, "local_maintenance_manual", "local_maintenance") : (storage.hostedEngineConf, "tcp_t_port", "gateway")
            let tool = try Command.start(
                "strace",
                [
                    "-f", "-o", "/dev/null", "-e", "trace=fsync", "-e", "inject=fsync:delay_enter=700000", Tool.path, "--set-shared-config",
                    key, file == "ha" ? "True" : "22", "--type", file,
                ], environment: Tool.environment(for: storage))
            usleep(300_000)
            let upstream = try Command.start(Self.writer, [path, theirs, file == "ha" ? "True" : "192.0.2.254"])
            let set = tool.wait()
            #expect(set.status == 0, "\(set)")
            #expect(upstream.wait().status == 0)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("\(key)=\(file == "ha" ? "True" : "22")\n"), "\(file): \(text)")
            #expect(text.contains("\(theirs)=\(file == "ha" ? "True" : "192.0.2.254")\n"), "\(file): \(text)")
        }
    }
}
