import Foundation
import TestSupport
import Testing

/// Restoring when it is needed most: over a volume whose archive is gone or damaged.
@Suite struct RecoveryTests {
    enum Damage: String, CaseIterable, Sendable {
        case zeroedFirstKiB, garbage, damagedHeader

        func apply(to volume: String) throws {
            switch self {
            case .zeroedFirstKiB: try Files.overwrite(volume, with: [UInt8](repeating: 0, count: 1024))
            case .garbage: try Files.overwrite(volume, with: (0..<20480).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
            // The second member's header checksum.
            case .damagedHeader: try Files.overwrite(volume, with: Array("XXXXXX".utf8), at: 1024 + 148)
            }
        }
    }

    @Test(arguments: Damage.allCases)
    func aForcedRestoreWritesOverADamagedVolume(damage: Damage) throws {
        let directory = try TemporaryDirectory("recovery")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let host = Tool.environment(for: storage)
        let good = try Files.readPrefix(storage.volume, count: 20480)
        let saved = directory.file("good.tar")
        #expect(try Tool.run(["--download-archive", saved], environment: host).status == 0)
        try damage.apply(to: storage.volume)
        let damaged = try Files.readPrefix(storage.volume, count: 20480)
        let read = try Tool.run(["--get-shared-config", "smtp-server"], environment: host)
        #expect(read.status == 1)
        #expect(
            read.stderr.contains("Restore one: hosted-engine --list-backups, then hosted-engine --restore-backup PATH --force."), "\(read)")

        let restored = try Tool.run(["--upload-archive", saved, "--force"], environment: host)
        #expect(restored.status == 0, "\(restored)")
        #expect(restored.stderr.contains("The volume held no valid configuration archive ("), "\(restored)")
        #expect(try Files.readPrefix(storage.volume, count: 20480) == good)
        // What it overwrote was saved first, byte for byte.
        let backups = try FileManager.default.contentsOfDirectory(atPath: storage.backups).filter { !$0.hasSuffix(".origin") }
        #expect(backups.count == 1)
        #expect(try Files.read(storage.backups + "/" + backups[0]) == damaged)
        #expect(
            try Tool.run(["--get-shared-config", "smtp-server"], environment: host).stdout == "smtp-server : localhost, type : broker\n")

        // The same through --restore-backup, from the backup a set made of the good archive.
        #expect(try Tool.run(["--set-shared-config", "smtp-port", "587"], environment: host).status == 0)
        let named = try FileManager.default.contentsOfDirectory(atPath: storage.backups).filter {
            $0.hasPrefix("he-conf-") && $0.hasSuffix(".tar")
        }
        let goodBackup = try #require(try named.first { try Files.read(storage.backups + "/" + $0) == good })
        try damage.apply(to: storage.volume)
        let unconfirmed = try Tool.run(["--restore-backup", storage.backups + "/" + goodBackup], environment: host)
        #expect(unconfirmed.status == 1)
        #expect(unconfirmed.stderr.hasPrefix("Restoring this backup replaces the configuration archive on"), "\(unconfirmed)")
        let dryRun = try Tool.run(["--restore-backup", storage.backups + "/" + goodBackup, "--dry-run"], environment: host)
        #expect(dryRun.stdout.contains("the volume holds no valid configuration archive"), "\(dryRun)")
        let fromBackup = try Tool.run(["--restore-backup", storage.backups + "/" + goodBackup, "--force"], environment: host)
        #expect(fromBackup.status == 0, "\(fromBackup)")
        #expect(try Files.readPrefix(storage.volume, count: 20480) == good)
    }
}
