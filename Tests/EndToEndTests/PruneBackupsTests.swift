import Foundation
import TestSupport
import Testing

/// `--prune-backups --keep N`: the newest N of each kind and origin stay.
@Suite struct PruneBackupsTests {
    @Test func keepsTheNewestOfEachKindAndOrigin() throws {
        let setup = try VmConfigTests.Setup("prune")
        for (key, value) in [
            ("smtp-port", "1001"), ("smtp-port", "1002"), ("smtp-port", "1003"), ("mem_size", "20480"), ("mem_size", "24576"),
        ] {
            #expect(try setup.run(["--set-shared-config", key, value, "--force"]).status == 0)
        }
        // Three different states of ha.conf (a backup of the same bytes in the same second is the same file).
        for (key, value) in [("local_maintenance", "True"), ("local_maintenance_manual", "True"), ("local_maintenance", "False")] {
            #expect(try setup.run(["--set-shared-config", key, value]).status == 0)
        }
        func listed() throws -> [[String: Any]] {
            try #require(
                try JSONSerialization.jsonObject(with: Data(try setup.run(["--list-backups", "--json"]).stdoutBytes)) as? [[String: Any]])
        }
        let before = try listed()
        // 3 archives, 2 of each OVF_STORE copy, 3 of ha.conf.
        #expect(before.count == 10)
        let dryRun = try setup.run(["--prune-backups", "--keep", "1", "--dry-run"])
        #expect(dryRun.status == 0)
        #expect(dryRun.stdout.split(separator: "\n").count == 6, "\(dryRun)")
        #expect(dryRun.stderr.hasPrefix("Would remove 6 backups ("), "\(dryRun)")
        #expect(try listed().count == 10)

        let pruned = try setup.run(["--prune-backups", "--keep", "1"])
        #expect(pruned.status == 0, "\(pruned)")
        #expect(pruned.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("Removed ") })
        let after = try listed()
        #expect(after.count == 4)
        // The newest of each group stayed.
        for kind in ["he-conf", "ha-conf"] {
            let newest = before.filter { $0["kind"] as? String == kind }.last?["path"] as? String
            #expect(after.contains { $0["path"] as? String == newest }, "\(kind)")
        }
        #expect(Set(after.compactMap { $0["origin"] as? String }).count == 4)
        // Nothing but the kept backups and their .origin files is left.
        let files = try FileManager.default.contentsOfDirectory(atPath: setup.storage.backups)
        #expect(files.count == 8, "\(files)")
        let refused = try setup.run(["--prune-backups", "--keep", "0"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("--keep takes 1 or more"), "\(refused)")
    }
}
