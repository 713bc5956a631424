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
        let other = try directory.vdsmFile("other-volume")
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: other))
        try Files.giveToVdsm(other)
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

    @Test func thisHostsFilesGoBackThereOrElsewhereAfterThePrompt() throws {
        let directory = try TemporaryDirectory("restore-host-files")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let host = Tool.environment(for: storage)
        let original = try String(contentsOfFile: storage.haConf, encoding: .utf8)
        #expect(try Tool.run(["--set-shared-config", "local_maintenance", "True"], environment: host).status == 0)
        let listed = try #require(
            try JSONSerialization.jsonObject(with: Data(try Tool.run(["--list-backups", "--json"], environment: host).stdoutBytes))
                as? [[String: Any]])
        let id = try #require(listed.first { $0["kind"] as? String == "ha-conf" }?["id"] as? String)
        #expect(listed.first?["origin"] as? String == storage.haConf)

        // On a terminal the change is shown and asked; no leaves it.
        let declined = try Tool.runOnTerminal(["--restore-backup", id], environment: host, answer: "n")
        #expect(declined.status == 1)
        #expect(declined.stdout.contains("Restoring this backup replaces this host's \(storage.haConf):"), "\(declined)")
        #expect(declined.stdout.contains("  ha.conf: local_maintenance: 'True' -> 'False'"), "\(declined)")
        #expect(declined.stdout.contains("Not confirmed; nothing was written."))
        #expect(try String(contentsOfFile: storage.haConf, encoding: .utf8) == "local_maintenance=True\nlocal_maintenance_manual=False\n")
        let accepted = try Tool.runOnTerminal(["--restore-backup", id], environment: host, answer: "y")
        #expect(accepted.status == 0, "\(accepted)")
        #expect(try String(contentsOfFile: storage.haConf, encoding: .utf8) == original)

        // Elsewhere: --ha-conf names another file.
        let other = try directory.write("other-ha.conf", "local_maintenance=True\nlocal_maintenance_manual=True\n")
        let elsewhere = try Tool.run(["--restore-backup", id, "--ha-conf", other, "--force"], environment: host)
        #expect(elsewhere.status == 0, "\(elsewhere)")
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "local_maintenance=False\nlocal_maintenance_manual=False\n")
    }
}
