import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// A journal read without being settled: each state a crash can leave, and the read changes nothing.
@Suite struct JournalInspectionTests {
    @Test func eachStateACrashLeavesIsNamed() throws {
        let directory = try TemporaryDirectory("journal-inspection")
        let old = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        let base = try ConfigArchive(bytes: old, origin: "old")
        let config = SharedConfig()
        let new = try #require(
            try config.archive(
                base, setting: try config.resolve(key: "smtp-server", type: nil), to: "mail.example.com",
                options: directory.options()))
        let path = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: old, size: 1 << 20)

        func state(afterCrashAt bytes: Int64?) throws -> JournalInspection.State {
            let reset = try Volume(path: path, forWriting: true, settings: .init())
            try reset.write(old, at: 0)
            try reset.write([UInt8](repeating: 0, count: 3 * 20480 + 4096), at: (1 << 20) - 3 * 20480 - 4096)
            let settings = Volume.Settings(crashPoint: bytes.map { CrashPoint(afterBytes: $0, action: .throwError) })
            do {
                try CompareAndSwap(
                    volume: try Volume(path: path, forWriting: true, settings: settings), lockTimeout: 5, backups: directory.backups
                )
                .replace(base: base, with: new, now: 1_800_000_000)
            } catch is SimulatedCrash {}
            let before = try Files.read(path)
            let inspection = try JournalInspection(volume: try Volume(path: path, forWriting: false, settings: .init()))
            #expect(inspection.location == "the volume's last 4 KiB")
            #expect(try Files.read(path) == before, "inspecting wrote nothing")
            return inspection.state
        }

        #expect(try state(afterCrashAt: 0) == .clean(lastWrite: nil))
        // The journal holds new and old archive, then its header: a crash in the header's first
        // block (152 bytes of it count) leaves none.
        #expect(try state(afterCrashAt: 40960 + 100) == .clean(lastWrite: nil))
        #expect(try state(afterCrashAt: 45056) == .pending(time: 1_800_000_000, outcome: .interrupted))
        // The first member, which the set does not change, written again: the old archive still.
        #expect(try state(afterCrashAt: 45056 + 1000) == .pending(time: 1_800_000_000, outcome: .interrupted))
        #expect(try state(afterCrashAt: 45056 + 20480) == .pending(time: 1_800_000_000, outcome: .finished))
        #expect(try state(afterCrashAt: nil) == .clean(lastWrite: 1_800_000_000))
    }

    @Test func aSmallFileVolumeHasNoJournalUntilItsFirstWrite() throws {
        let directory = try TemporaryDirectory("journal-inspection-small")
        let old = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        let path = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: old, size: 20480)
        let inspection = try JournalInspection(volume: try Volume(path: path, forWriting: false, settings: .init()))
        // Beside the volume itself, its path without links or doubled slashes.
        #expect(inspection.location == path.replacingOccurrences(of: "//", with: "/") + ".hosted-engine-journal")
        #expect(inspection.state == .absent)
    }
}
