import Foundation
import TestSupport
import Testing

/// Every kind of backup goes back where it came from, or elsewhere when told.
@Suite struct BackupRestoreTests {
    @Test func ovfStoreBackupsGoBackToTheirCopyOrAnother() throws {
        let setup = try VmConfigTests.Setup("restore-ovf")
        let before = try setup.stores.map { try setup.archive($0).bytes }
        let set = try setup.run(["--set-shared-config", "mem_size", "20480", "--force"])
        #expect(set.status == 0, "\(set)")
        let listed = try setup.run(["--list-backups", "--json"])
        let backups = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdoutBytes)) as? [[String: Any]])
        #expect(backups.count == 2)
        for backup in backups {
            let id = try #require(backup["id"] as? String)
            let origin = try #require(backup["origin"] as? String)
            #expect(backup["differs"] as? String == "vm mem_size")
            let index = try #require(
                setup.stores.firstIndex { origin.hasSuffix($0.split(separator: "/").suffix(2).joined(separator: "/")) })
            let dryRun = try setup.run(["--restore-backup", id, "--dry-run"])
            #expect(dryRun.stdout.contains("  \(VmConfigTests.vmid).ovf: vm mem_size: '20480' -> '16384'"), "\(dryRun)")
            let restored = try setup.run(["--restore-backup", id, "--force"])
            #expect(restored.status == 0, "\(restored)")
            #expect(try setup.archive(setup.stores[index]).bytes == before[index])
        }
        #expect(try setup.run(["--get-shared-config", "mem_size"]).stdout == "mem_size : 16384, type : vm\n")

        // Elsewhere: the newer copy's backup written onto the older copy with --ovf-store.
        #expect(try setup.run(["--set-shared-config", "mem_size", "20480", "--force"]).status == 0)
        let again = try #require(
            try JSONSerialization.jsonObject(with: Data(try setup.run(["--list-backups", "--json"]).stdoutBytes)) as? [[String: Any]])
        let newer = try #require(again.last { ($0["origin"] as? String)?.hasSuffix(VmConfigTests.copies[1]) == true })
        let moved = try setup.run(["--restore-backup", try #require(newer["path"] as? String), "--ovf-store", setup.stores[0], "--force"])
        #expect(moved.status == 0, "\(moved)")
        #expect(try setup.ovf(setup.stores[0]) == (try VmConfigTests.Setup.ovfOf(before[1])))
    }

    @Test func anArchiveBackupGoesToAnotherVolumeWhenNamed() throws {
        let directory = try TemporaryDirectory("restore-elsewhere")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let host = Tool.environment(for: storage)
        let original = try Files.readPrefix(storage.volume, count: 20480)
        #expect(try Tool.run(["--set-shared-config", "smtp-port", "587"], environment: host).status == 0)
        let other = directory.file("other-volume")
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: other))
        let listed = try #require(
            try JSONSerialization.jsonObject(with: Data(try Tool.run(["--list-backups", "--json"], environment: host).stdoutBytes))
                as? [[String: Any]])
        let id = try #require(listed.first?["id"] as? String)
        let restored = try Tool.run(["--restore-backup", id, "--volume", other, "--force"], environment: host)
        #expect(restored.status == 0, "\(restored)")
        #expect(try Files.readPrefix(other, count: 20480) == original)
        // The volume it came from is as the set left it.
        #expect(try Tool.run(["--get-shared-config", "smtp-port"], environment: host).stdout == "smtp-port : 587, type : broker\n")
    }
}
