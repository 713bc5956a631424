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

    @Test func aChangeByAnotherWriterMeanwhileExitsThreeAndWritesNothing() throws {
        let directory = try TemporaryDirectory("conflict")
        let storage = try UpstreamStorage.makeStorage(in: directory)
        let other = try Volume(path: storage.volume, forWriting: true)
        try other.lockExclusively(timeout: 0)

        let tool = try Tool.start(["--set-shared-config", "smtp-port", "2525", "--volume", storage.volume])
        try waitUntilWaitingForTheLock(tool)

        // The other writer changes another key and lets go.
        let config = SharedConfig()
        let base = try ConfigArchive(reading: other)
        let theirs = try #require(
            try config.archive(
                base, setting: try config.resolve(key: "smtp-server", type: nil), to: "theirs.example.com",
                options: .init(backups: BackupStore(directory: directory.file("backups")))))
        try other.write(theirs, at: 0)
        try other.synchronize()
        other.unlock()

        let result = tool.wait()
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "Update failed. The configuration file was changed by somebody else, try again.\n")
        #expect(try Files.readPrefix(storage.volume, count: 20480) == theirs)
    }

    @Test func aWriterThatCannotGetTheLockExitsOne() throws {
        let directory = try TemporaryDirectory("locked")
        let storage = try UpstreamStorage.makeStorage(in: directory)
        let before = try Files.readPrefix(storage.volume, count: 20480)
        let holder = try Volume(path: storage.volume, forWriting: true)
        try holder.lockExclusively(timeout: 0)
        let result = try Tool.run(["--set-shared-config", "smtp-port", "2525", "--volume", storage.volume, "--lock-timeout", "0.5"])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "The configuration volume \(storage.volume) is locked by another writer (waited 0.5 s); try again later, or wait longer with --lock-timeout SECONDS.\n"
        )
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
