import Foundation
import TestSupport
import Testing

/// Dry runs and forced writes tell the truth: a dry run checks every base the real command
/// would check, and a forced write says what it changed.
@Suite struct DryRunTests {
    /// `--set-shared-config --dry-run` checks the value and writes nothing, for every type;
    /// `--json` says what changed, secrets masked.
    @Test func aSetDryRunChecksAndWritesNothing() throws {
        let setup = try VmConfigTests.Setup("dry-run-set")
        let before = try VerifyStorageTests.snapshot(setup.storage.root)
        for (key, value, type, old) in [
            ("smtp-port", "2525", "broker", "\"25\""), ("mem_size", "20480", "vm", "\"16384\""),
            ("network_test", "dns", "he_local", "null"),
            ("local_maintenance", "True", "ha", "\"False\""), ("network_test", "dns", "he_shared", "null"),
        ] {
            let text = try setup.run(["--set-shared-config", key, value, "--type", type, "--dry-run"])
            #expect(text.status == 0, "\(text)")
            #expect(text.stdout.hasPrefix("Would set \(key) (type \(type)): "), "\(text)")
            if type == "vm" {
                // Every field the change rewrites, as the confirmation lists them.
                #expect(text.stdout.contains("\nSetting mem_size in the engine VM's OVF (") && text.stdout.contains("-> 20480"), "\(text)")
            }
            let json = try setup.run(["--set-shared-config", key, value, "--type", type, "--dry-run", "--json"])
            #expect(
                json.stdout
                    == "{\"key\":\"\(key)\",\"type\":\"\(type)\",\"changed\":true,\"dryRun\":true,\"old\":\(old),\"new\":\"\(value)\",\"secret\":false,\"backups\":[],\"notes\":[]}\n",
                "\(json)")
        }
        let invalid = try setup.run(["--set-shared-config", "smtp-port", "abc", "--dry-run"])
        #expect(invalid.status == 1, "\(invalid)")
        #expect(try VerifyStorageTests.snapshot(setup.storage.root) == before, "nothing was written")

        let written = try setup.run(["--set-shared-config", "password", "s3cret", "--type", "he_local", "--json", "--force"])
        #expect(written.status == 0, "\(written)")
        #expect(
            written.stdout.contains("\"changed\":true,\"dryRun\":false,\"old\":\"(secret)\",\"new\":\"(secret)\",\"secret\":true"),
            "\(written)")
        #expect(!written.stdout.contains("s3cret") && !written.stderr.contains("s3cret"))
        let again = try setup.run(["--set-shared-config", "password", "s3cret", "--type", "he_local", "--json", "--force"])
        #expect(again.stdout.contains("\"changed\":false"), "\(again)")
    }

    @Test func aDryRunPushOfAMovedOvfStoreExitsThreeAsThePushWould() throws {
        let setup = try VmConfigTests.Setup("dry-run-moved")
        let work = setup.directory.file("work")
        #expect(try setup.run(["--checkout-config", work, "--type", "vm"]).status == 0)
        let ovfPath = work + "/\(VmConfigTests.vmid).ovf"
        let text = try String(contentsOfFile: ovfPath, encoding: .utf8)
        try text.replacingOccurrences(
            of: "<rasd:AllocationUnits>MegaBytes</rasd:AllocationUnits><rasd:VirtualQuantity>16384</rasd:VirtualQuantity>",
            with: "<rasd:AllocationUnits>MegaBytes</rasd:AllocationUnits><rasd:VirtualQuantity>24576</rasd:VirtualQuantity>"
        ).write(toFile: ovfPath, atomically: false, encoding: .utf8)
        // Somebody else changes the engine VM since the checkout.
        #expect(try setup.run(["--set-shared-config", "num_of_sockets", "2", "--force"]).status == 0)

        let status = try setup.run(["--config-status", work])
        #expect(status.stdout.contains("The OVF_STORE copy \(setup.stores[0]) changed since checkout"), "\(status)")
        let json = try setup.run(["--config-status", work, "--json"])
        #expect(json.stdout.contains("\"movedOvfStores\":[\""), "\(json)")

        let dryRun = try setup.run(["--push-config", work, "--dry-run", "--force"])
        let push = try setup.run(["--push-config", work, "--force"])
        #expect(push.status == 3, "\(push)")
        #expect(dryRun.status == push.status, "\(dryRun)")
        #expect(dryRun.stderr == push.stderr)
        // With --rebase the dry run says what the push would merge, and the push merges it.
        let rebaseDryRun = try setup.run(["--push-config", work, "--dry-run", "--rebase", "--force"])
        #expect(rebaseDryRun.status == 0, "\(rebaseDryRun)")
        #expect(rebaseDryRun.stdout.contains("vm mem_size: '16384' -> '24576'"), "\(rebaseDryRun)")
        #expect(try setup.run(["--push-config", work, "--rebase", "--force"]).status == 0)
        #expect(try setup.run(["--get-shared-config", "mem_size"]).stdout == "mem_size : 24576, type : vm\n")
        #expect(try setup.run(["--get-shared-config", "num_of_sockets"]).stdout == "num_of_sockets : 2, type : vm\n")
    }

    @Test func aForcedVmSetSaysWhatItChangedAndWhatForceAccepted() throws {
        let setup = try VmConfigTests.Setup("forced-vm-set")
        let memory = try setup.run(["--set-shared-config", "mem_size", "20480", "--force"])
        #expect(memory.status == 0)
        #expect(memory.stderr.contains("Setting mem_size in the engine VM's OVF (\(VmConfigTests.vmid).ovf) changes:\n  "), "\(memory)")
        #expect(!memory.stderr.contains("WARNING"))
        let network = try setup.run(["--set-shared-config", "nic.vnet0.network", "storage-net", "--force"])
        #expect(network.status == 0, "\(network)")
        #expect(
            network.stderr.contains(
                "WARNING: --force accepted network storage-net for nic.vnet0, which the OVF's NetworkSection does not list (it lists ovirtmgmt)"
            ),
            "\(network)")
    }

    @Test func anUploadDryRunShowsTheChangesAndWritesNothing() throws {
        let directory = try TemporaryDirectory("upload-dry-run")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let host = Tool.environment(for: storage)
        let saved = directory.file("before.tar")
        #expect(try Tool.run(["--download-archive", saved], environment: host).status == 0)
        #expect(try Tool.run(["--set-shared-config", "smtp-port", "587"], environment: host).status == 0)
        let before = try Files.read(storage.volume)
        let dryRun = try Tool.run(["--upload-archive", saved, "--force", "--dry-run"], environment: host)
        #expect(dryRun.status == 0)
        #expect(dryRun.stdout == "Would upload \(saved):\n  broker.conf: email.smtp-port: '587' -> '25'\n", "\(dryRun)")
        #expect(try Files.read(storage.volume) == before)
        let restored = try Tool.run(["--upload-archive", saved, "--force"], environment: host)
        #expect(restored.stderr.hasPrefix("Restoring \(saved) changes:\n  broker.conf: email.smtp-port: '587' -> '25'\n"), "\(restored)")
    }
}
