import ArchiveKit
import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// The binary killed mid-write by HE_TEST_CRASH_AFTER_BYTES, then run again: every crash
/// point leaves the old archive or the new one. (The library's CrashSweepTests try every byte;
/// this tries the process boundaries and a stride through the rest.)
@Suite struct CrashRecoveryTests {
    enum Kind: String, CaseIterable, Sendable {
        case file, shrunkFile, blockDevice
    }

    @Test(arguments: Kind.allCases)
    func theNextCommandReadsTheOldOrTheNewArchive(kind: Kind) throws {
        let directory = try TemporaryDirectory(
            "crash-\(kind.rawValue)", root: FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : nil)
        let old = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        let file = try UpstreamStorage.makeVolume(
            at: try directory.vdsmFile("volume"), archive: old, size: kind == .shrunkFile ? 20480 : 4 << 20)
        var volume = file
        var loop: String?
        if kind == .blockDevice {
            loop = try Command.run("losetup", ["--find", "--show", file]).requireSuccess("losetup").stdout.trimmingCharacters(
                in: .whitespacesAndNewlines)
            volume = loop!
            // vdsm's udev rules give an LV of a storage domain to vdsm.
            try Files.giveToVdsm(volume)
        }
        defer { if let loop { _ = try? Command.run("losetup", ["-d", loop]) } }
        let environment: [String: String?] = ["HE_BACKUP_DIR": directory.file("backups")]

        // The whole write: journal (new and old archive, header), the archive in place, the done header.
        let total = 2 * 20480 + 4096 + 20480 + 4096
        var points = [0, 1, 511, 512, 4095, 4096, 40959, 40960, 40961, 45055, 45056, 45057, 65535, 65536, total - 1, total]
        points += stride(from: 7, to: total, by: 1499)
        var outcomes = Set<String>()
        for crashAt in points.sorted() {
            try reset(volume, to: old, journalIn: kind == .shrunkFile ? nil : (4 << 20) - 45056..<(4 << 20))
            let crashed = try Tool.run(
                ["--set-shared-config", "smtp-server", "new.example.com", "--volume", volume]
                    + (kind == .blockDevice ? ["--without-sanlock"] : []),
                environment: environment.merging(["HE_TEST_CRASH_AFTER_BYTES": String(crashAt)]) { $1 })
            #expect(crashed.status == 137, "crash after \(crashAt): \(crashed)")
            let next = try Tool.run(["--get-shared-config", "smtp-server", "--volume", volume], environment: environment)
            #expect(next.status == 0, "after a crash at \(crashAt): \(next)")
            #expect(
                next.stdout == "smtp-server : localhost, type : broker\n" || next.stdout == "smtp-server : new.example.com, type : broker\n"
            )
            if next.stderr.hasPrefix("Recovered \(volume): a write interrupted at ") { outcomes.insert("recovered") }
            outcomes.insert(next.stdout.contains("new.example.com") ? "new" : "old")
            // Offset 0 holds a whole archive again, as every host reads it.
            let gnu = try TarReaders.gnuTar(volume: volume)
            #expect(gnu.names == ConfigArchive.memberNames, "after a crash at \(crashAt)")
        }
        #expect(outcomes == ["old", "new", "recovered"])

        // One byte more than a whole write: no crash at all.
        try reset(volume, to: old, journalIn: kind == .shrunkFile ? nil : (4 << 20) - 45056..<(4 << 20))
        let whole = try Tool.run(
            ["--set-shared-config", "smtp-server", "new.example.com", "--volume", volume]
                + (kind == .blockDevice ? ["--without-sanlock"] : []),
            environment: environment.merging(["HE_TEST_CRASH_AFTER_BYTES": String(total + 1)]) { $1 })
        #expect(whole.status == 0, "\(whole)")
        if kind == .shrunkFile {
            #expect(try Files.size(file) == 20480, "the volume did not grow")
            #expect(FileManager.default.fileExists(atPath: file + ".hosted-engine-journal"))
        }
    }

    func reset(_ volume: String, to archive: [UInt8], journalIn zone: Range<Int>?) throws {
        let handle = try Volume(path: volume, forWriting: true, settings: .init())
        try handle.write(archive, at: 0)
        if let zone { try handle.write([UInt8](repeating: 0, count: zone.count), at: Int64(zone.lowerBound)) }
        try handle.synchronize()
        unlink(volume + ".hosted-engine-journal")
    }
}
