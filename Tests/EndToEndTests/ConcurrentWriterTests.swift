import Foundation
import HostedEngineConfig
import Testing
import TestSupport

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
        let theirs = try #require(try config.archive(base, setting: try config.resolve(key: "smtp-server", type: nil), to: "theirs.example.com", options: .init(backups: BackupStore(directory: directory.file("backups")))))
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
        #expect(result.stderr == "The configuration volume \(storage.volume) is locked by another writer (waited 0.5 s); try again later, or wait longer with --lock-timeout SECONDS.\n")
        #expect(try Files.readPrefix(storage.volume, count: 20480) == before)
    }
}
