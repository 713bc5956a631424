import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// Another writer in the middle of a change, as another host would be.
@Suite struct ConcurrentWriterTests {
    /// Waits until `process` sleeps between lock attempts, which it does only after reading its base.
    func waitUntilWaitingForTheLock(_ process: RunningCommand) throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let wchan = (try? String(contentsOfFile: "/proc/\(process.pid)/wchan", encoding: .utf8)) ?? ""
            if wchan.contains("nanosleep") { return }
            usleep(5000)
        }
        Issue.record("the tool never waited for the lock")
    }

    /// Another writer changes `theirKey` while the tool waits for the lock to set smtp-port.
    func setWhileAnotherWriterChanges(_ theirKey: String, to theirValue: String, label: String) throws -> (
        result: CommandResult, theirs: [UInt8], volume: String, directory: TemporaryDirectory
    ) {
        let directory = try TemporaryDirectory(label)
        let storage = try UpstreamStorage.makeStorage(in: directory)
        let other = try Volume(path: storage.volume, forWriting: true)
        try other.lockExclusively(timeout: 0)

        let tool = try Tool.start(
            ["--set-shared-config", "smtp-port", "2525", "--volume", storage.volume],
            environment: ["HE_BACKUP_DIR": directory.file("backups")])
        try waitUntilWaitingForTheLock(tool)

        let config = SharedConfig()
        let base = try ConfigArchive(reading: other)
        let theirs = try #require(
            try config.archive(
                base, setting: try config.resolve(key: theirKey, type: nil), to: theirValue,
                options: .init(backups: BackupStore(directory: directory.file("backups")))))
        try other.write(theirs, at: 0)
        try other.synchronize()
        other.unlock()
        return (tool.wait(), theirs, storage.volume, directory)
    }

    @Test func aChangeOfTheSameKeyMeanwhileExitsThreeAndWritesNothing() throws {
        let (result, theirs, volume, directory) = try setWhileAnotherWriterChanges("smtp-port", to: "587", label: "conflict")
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        // The other writer wrote around this tool: the key's value now, and no name for who.
        #expect(
            result.stderr == """
                Update failed. The configuration file was changed by somebody else, try again.
                  broker.conf email.smtp-port is now '587' (by a writer the shared history does not name)

                """)
        #expect(try Files.readPrefix(volume, count: 20480) == theirs)
        _ = directory
    }

    /// A set changes one key: another key changed meanwhile is kept, and the set lands on top.
    @Test func aChangeOfAnotherKeyMeanwhileIsKeptAndTheSetLands() throws {
        let (result, _, volume, directory) = try setWhileAnotherWriterChanges("smtp-server", to: "theirs.example.com", label: "rebase")
        #expect(result.status == 0, "\(result)")
        for (key, value) in [("smtp-server", "theirs.example.com"), ("smtp-port", "2525")] {
            let read = try Tool.run(["--get-shared-config", key, "--volume", volume])
            #expect(read.stdout == "\(key) : \(value), type : broker\n", "\(read)")
        }
        _ = directory
    }

    /// Six sets of six keys started together: six exits 0, six keys on the volume.
    @Test func sixConcurrentSetsOfSixKeysAllLand() throws {
        let directory = try TemporaryDirectory("six-keys")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "4M"])
        let changes = [
            ("smtp-server", "mail.example.com", "broker"), ("smtp-port", "2525", "broker"), ("network_test", "dns", "he_shared"),
            ("destination-emails", "ops@example.com", "broker"), ("source-email", "he@example.com", "broker"),
            ("state_transition", "maintenance|start", "broker"),
        ]
        let environment: [String: String?] = ["HE_BACKUP_DIR": directory.file("backups")]
        let running = try changes.map { change in
            try Tool.start(
                ["--set-shared-config", change.0, change.1, "--type", change.2, "--volume", storage.volume, "--force"],
                environment: environment)
        }
        let results = running.map { $0.wait() }
        #expect(results.map { $0.status } == [0, 0, 0, 0, 0, 0], "\(results)")
        let all = try Tool.run(["--get-all-config", "--volume", storage.volume])
        for (key, value, _) in changes {
            #expect(all.stdout.contains("\n\(key): \(value)\n"), "\(key)\n\(all)")
        }
    }

    @Test func aWriterThatCannotGetTheLockExitsOne() throws {
        let directory = try TemporaryDirectory("locked")
        let storage = try UpstreamStorage.makeStorage(in: directory)
        let before = try Files.readPrefix(storage.volume, count: 20480)
        let holder = try Volume(path: storage.volume, forWriting: true)
        try holder.lockExclusively(timeout: 0)
        let result = try Tool.run(["--set-shared-config", "smtp-port", "2525", "--volume", storage.volume, "--lock-timeout", "0.5"])
        #expect(result.status == 1)
        // The holder, this test's process, is named with its command line.
        #expect(
            result.stderr.hasPrefix(
                "The configuration volume \(storage.volume) is locked by another writer (waited 0.5 s), held by process \(getpid()) on this host ("
            ), "\(result)")
        #expect(result.stderr.hasSuffix("); try again later, or wait longer with --lock-timeout SECONDS.\n"))
        #expect(try Files.readPrefix(storage.volume, count: 20480) == before)
    }
}

/// Readers take no lock; while a writer rewrites the archive over and over, every read still
/// gives a whole archive holding one of the values written.
@Suite struct ReadersDuringWritesTests {
    @Test func readersNeverSeeATornArchive() throws {
        let directory = try TemporaryDirectory("readers")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "4M"])
        let values = (1...40).map { "host\($0).example.com" }
        let script = values.map {
            "HE_BACKUP_DIR='\(storage.backups)' '\(Tool.path)' --set-shared-config smtp-server \($0) --volume '\(storage.volume)' 2>/dev/null"
        }.joined(separator: "\n")
        let writer = try Command.start("/bin/sh", ["-c", script])
        var reads = 0
        while writer.process.isRunning || reads < 20 {
            let result = try Tool.run(["--get-shared-config", "smtp-server", "--volume", storage.volume])
            #expect(result.status == 0, "\(result)")
            let value = result.stdout.dropFirst("smtp-server : ".count).prefix { $0 != "," }
            #expect(value == "localhost" || values.contains(String(value)), "read \(result.stdout)")
            reads += 1
        }
        #expect(writer.wait().status == 0)
        #expect(reads >= 20)
        #expect(
            try Tool.run(["--get-shared-config", "smtp-server", "--volume", storage.volume]).stdout
                == "smtp-server : host40.example.com, type : broker\n")
    }
}
