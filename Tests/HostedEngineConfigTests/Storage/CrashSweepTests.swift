import ArchiveKit
import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// A crash at every byte of one write, on each kind of volume: the next read gives the old
/// archive or the new one, complete, and leaves it at offset 0.
@Suite struct CrashSweepTests {
    enum Kind: String, CaseIterable, Sendable {
        /// A file with room for its journal in its last blocks (oVirt's are 1 GiB).
        case file
        /// A file shrunk to the archive by upstream's dd: the journal goes beside it.
        case shrunkFile
        /// A loop block device, opened with O_DIRECT.
        case blockDevice
    }

    /// Each kind's sweep is cut in slices that run in parallel.
    static let slices = 4

    final class Fixture {
        let directory: TemporaryDirectory
        let path: String
        let oldArchive: [UInt8]
        let newArchive: [UInt8]
        let base: ConfigArchive
        let journalZone: Range<Int64>?
        var loopDevice: String?

        init(kind: Kind) throws {
            // tmpfs: thousands of fsyncs cost nothing there.
            let root = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : nil
            directory = try TemporaryDirectory("sweep-\(kind.rawValue)", root: root)
            oldArchive = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
            base = try ConfigArchive(bytes: oldArchive, origin: "old")
            let config = SharedConfig()
            newArchive = try #require(
                try config.archive(
                    base, setting: try config.resolve(key: "destination-emails", type: nil), to: "ops@example.com,admin@example.com",
                    options: .init(backups: directory.backups, modificationTime: 1_800_000_000)))
            let size: Int64 = kind == .shrunkFile ? 20480 : 1 << 20
            let file = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: oldArchive, size: size)
            journalZone = kind == .shrunkFile ? nil : (size - 4096 - 2 * 20480)..<size
            if kind == .blockDevice {
                let device = try Command.run("losetup", ["--find", "--show", file]).requireSuccess("losetup")
                loopDevice = device.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                path = loopDevice!
            } else {
                path = file
            }
        }

        deinit {
            if let loopDevice { _ = try? Command.run("losetup", ["-d", loopDevice]) }
        }

        /// Back to the old archive and no journal.
        func reset() throws {
            let volume = try Volume(path: path, forWriting: true, settings: .init())
            try volume.write(oldArchive, at: 0)
            if let journalZone {
                try volume.write([UInt8](repeating: 0, count: Int(journalZone.count)), at: journalZone.lowerBound)
            } else {
                unlink(path + ".hosted-engine-journal")
            }
            try volume.synchronize()
        }

        func write(crashingAfter bytes: Int64?) throws -> Int64 {
            var settings = Volume.Settings(crashPoint: bytes.map { CrashPoint(afterBytes: $0, action: .throwError) })
            // No sanlock here: the loop device is written under the fcntl lock alone, as --without-sanlock does.
            settings.writeWithoutLease = true
            let volume = try Volume(path: path, forWriting: true, settings: settings)
            do {
                try CompareAndSwap(volume: volume, lockTimeout: 5, backups: directory.backups)
                    .replace(base: base, with: newArchive, now: 1_800_000_000)
            } catch is SimulatedCrash {}
            return volume.bytesWritten
        }
    }

    static var kinds: [Kind] {
        // Loop devices need root and a kernel that has them; say so rather than pass silently.
        Kind.allCases
    }

    @Test(arguments: kinds, 0..<slices)
    func aCrashAtEveryByteLeavesTheOldOrTheNewArchive(kind: Kind, slice: Int) throws {
        let fixture = try Fixture(kind: kind)
        try fixture.reset()
        let total = try fixture.write(crashingAfter: nil)
        #expect(total > Int64(fixture.newArchive.count * 2), "the journal and the write in place are counted")
        let notices = Notices()
        let positions = Array(0...total).filter { Int($0 % Int64(Self.slices)) == slice }
        var sawOld = false
        var sawNew = false
        var recovered = 0
        for crashAt in positions {
            try fixture.reset()
            _ = try fixture.write(crashingAfter: crashAt)
            var readerSettings = Volume.Settings(report: { notices.add($0) })
            readerSettings.writeWithoutLease = true
            let reader = try Volume(path: fixture.path, forWriting: false, settings: readerSettings)
            let before = notices.count
            let loaded = try ConfigArchive.load(from: reader)
            let isOld = sameBytes(loaded.bytes, fixture.oldArchive)
            let isNew = sameBytes(loaded.bytes, fixture.newArchive)
            #expect(isOld || isNew, "crash after \(crashAt) bytes: neither the old nor the new archive")
            sawOld = sawOld || isOld
            sawNew = sawNew || isNew
            if notices.count > before { recovered += 1 }
            // What was read is now what offset 0 holds, journal settled.
            let raw = try Volume(path: fixture.path, forWriting: false, settings: .init())
            #expect(sameBytes(try raw.read(count: 20480, at: 0), loaded.bytes), "crash after \(crashAt): offset 0 was not settled")
            if !(isOld || isNew) { break }
        }
        #expect(sawOld && sawNew)
        #expect(recovered > 0, "some crashes needed recovery")
    }
}
