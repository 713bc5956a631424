import Foundation
import HostedEngineConfig
import TestSupport
import Testing

@Suite struct CompareAndSwapTests {
    func storage(_ directory: TemporaryDirectory) throws -> (path: String, locator: VolumeLocator) {
        let tar = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        let path = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: tar)
        return (path, VolumeLocator(volume: path))
    }

    @Test func setWritesTheValueAndKeepsSizeModeAndOwner() throws {
        let directory = try TemporaryDirectory("cas-set")
        let (path, locator) = try storage(directory)
        chmod(path, 0o660)
        chown(path, 36, 36)
        let config = SharedConfig()
        #expect(
            try config.set(key: "smtp-server", value: "mail.example.com", type: nil, locator: locator, options: directory.options())
                != .unchanged)
        #expect(try config.get(key: "smtp-server", type: nil, locator: locator) == ("mail.example.com", "broker"))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.size] as? NSNumber)?.int64Value == 1 << 30)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o660)
        #expect((attributes[.ownerAccountID] as? NSNumber)?.intValue == 36)
        #expect((attributes[.groupOwnerAccountID] as? NSNumber)?.intValue == 36)
    }

    @Test func settingTheSameValueWritesNothing() throws {
        let directory = try TemporaryDirectory("cas-same")
        let (path, locator) = try storage(directory)
        let before = try Files.readPrefix(path, count: 20480)
        #expect(
            try SharedConfig().set(key: "smtp-port", value: "25", type: nil, locator: locator, options: directory.options()) == .unchanged)
        #expect(try Files.readPrefix(path, count: 20480) == before)
    }

    @Test func aStaleBaseIsRefusedAndNothingIsWritten() throws {
        let directory = try TemporaryDirectory("cas-stale")
        let (path, locator) = try storage(directory)
        let config = SharedConfig()
        let mine = try Volume(path: path, forWriting: true)
        let base = try ConfigArchive(reading: mine)
        let resolution = try config.resolve(key: "smtp-port", type: nil)
        let myArchive = try #require(try config.archive(base, setting: resolution, to: "2525", options: directory.options()))

        // Somebody else changes another key in between.
        #expect(
            try config.set(key: "smtp-server", value: "theirs.example.com", type: nil, locator: locator, options: directory.options())
                != .unchanged)
        let theirs = try Files.readPrefix(path, count: 20480)

        #expect(throws: HostedEngineError.changedBySomebodyElse) {
            try CompareAndSwap(volume: mine, lockTimeout: 1, backups: directory.backups).replace(base: base, with: myArchive)
        }
        #expect(try Files.readPrefix(path, count: 20480) == theirs)
        #expect(HostedEngineError.changedBySomebodyElse.exitCode == 3)
    }

    @Test func waitsForTheLockAndGivesUpWithAClearMessage() throws {
        let directory = try TemporaryDirectory("cas-lock")
        let (path, locator) = try storage(directory)
        let holder = try Volume(path: path, forWriting: true)
        try holder.lockExclusively(timeout: 0)
        let started = Date()
        let error = #expect(throws: HostedEngineError.self) {
            try SharedConfig().set(
                key: "smtp-port", value: "2525", type: nil, locator: locator, options: directory.options(lockTimeout: 0.3))
        }
        #expect(Date().timeIntervalSince(started) >= 0.3)
        #expect(error == .locked(path: path, waitedSeconds: 0.3))
        #expect(error?.description.contains("is locked by another writer") == true)
        holder.unlock()
        #expect(
            try SharedConfig().set(
                key: "smtp-port", value: "2525", type: nil, locator: locator, options: directory.options(lockTimeout: 0.3)) != .unchanged)
    }

    @Test func aGetReadsUnder64KiBOfA1GiBVolume() throws {
        let directory = try TemporaryDirectory("cas-bytes")
        let (path, _) = try storage(directory)
        let archive = try ConfigArchive(reading: try Volume(path: path, forWriting: false))
        #expect(archive.bytesRead > 0)
        #expect(archive.bytesRead < 64 * 1024)
    }

    @Test func refusesToGrowAVolumeShrunkToItsArchive() throws {
        let directory = try TemporaryDirectory("cas-grow")
        let tar = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        let path = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: tar, size: 20480)
        let long = (0..<300).map { "user\($0)@example.com" }.joined(separator: ",")
        let error = #expect(throws: HostedEngineError.self) {
            try SharedConfig().set(
                key: "destination-emails", value: long, type: nil, locator: VolumeLocator(volume: path),
                options: directory.options(allowLargeArchive: true))
        }
        #expect(error == .archiveDoesNotFit(size: 40960, volumeSize: 20480, path: path))
        #expect(try Files.size(path) == 20480)
        #expect(try Files.read(path) == tar)
    }
}
