import Foundation
import TestSupport
import Testing

/// --verbose says what the tool does; --quiet leaves only errors.
@Suite struct VerbosityTests {
    @Test func quietPrintsNothingOnSuccessAndStillTheErrors() throws {
        let setup = try VmConfigTests.Setup("quiet")
        let set = try setup.run(["--quiet", "--set-shared-config", "smtp-port", "587"])
        #expect(set.status == 0)
        #expect(set.stdout.isEmpty && set.stderr.isEmpty, "\(set)")
        let local = try setup.run(["--set-shared-config", "network_test", "dns", "--type=he_local", "--quiet"])
        #expect(local.status == 0 && local.stderr.isEmpty, "\(local)")
        #expect(try setup.run(["--get-shared-config", "smtp-port", "--quiet"]).stdout == "smtp-port : 587, type : broker\n")
        let error = try setup.run(["--quiet", "--get-shared-config", "no-such-key"])
        #expect(error.status == 1)
        #expect(error.stderr.hasPrefix("Invalid configuration key no-such-key."))
    }

    @Test func verboseSaysEachStepOfAWrite() throws {
        let setup = try VmConfigTests.Setup("verbose")
        let set = try setup.run(["--set-shared-config", "smtp-port", "2525", "--verbose"])
        #expect(set.status == 0, "\(set)")
        for step in [
            "hosted-engine: Configuration volume: \(setup.storage.volumeLink) (sdUUID/conf_image_UUID/conf_volume_UUID of ",
            "hosted-engine: Opened \(setup.storage.volumeLink) for reading and writing: ",
            "hosted-engine: Read the configuration archive: 20480 bytes, sha256:",
            "hosted-engine: Locked \(setup.storage.volumeLink) (waited ",
            "hosted-engine: The volume still holds the base sha256:",
            "hosted-engine: Saved the bytes it replaces as \(setup.storage.backups)/he-conf-",
            "hosted-engine: Journal record written and fsynced",
            "hosted-engine: Written at offset 0 and fsynced; journal record marked done",
            "Saved the replaced archive as ",
        ] {
            #expect(set.stderr.contains(step), "\(step)\n\(set.stderr)")
        }
        // The OVF_STORE copies a vm get reads are a --verbose line, not one of every get.
        let plain = try setup.run(["--get-shared-config", "mem_size"])
        #expect(plain.stderr.isEmpty, "\(plain)")
        let verbose = try setup.run(["--get-shared-config", "mem_size", "--verbose"])
        #expect(verbose.stderr.contains("hosted-engine: OVF_STORE copies: "), "\(verbose)")
        #expect(
            verbose.stderr.contains(
                "hosted-engine: Read the OVF_STORE archive of \(setup.stores[1]): 40960 bytes in 10240-byte records, 4 members"),
            "\(verbose)")
        #expect(verbose.stdout == plain.stdout)
        // A read locks nothing, so it never looks for the sanlock lease (a write does, above).
        let read = try setup.run(["--get-shared-config", "smtp-port", "--verbose"])
        #expect(read.status == 0 && !read.stderr.contains("sanlock"), "\(read)")
        #expect(set.stderr.contains("hosted-engine: sanlock: "), "\(set)")
    }

    @Test func verboseSaysEachStepOfALocalWrite() throws {
        let setup = try VmConfigTests.Setup("verbose-local")
        let conf = setup.storage.hostedEngineConf
        let set = try setup.run(["--set-shared-config", "network_test", "dns", "--type", "he_local", "--verbose"])
        #expect(set.status == 0, "\(set)")
        for step in [
            "hosted-engine: Locked \(conf) (flock, as upstream's writer takes it)", "hosted-engine: Read \(conf): ",
            "hosted-engine: Saved the old file as \(setup.storage.backups)/he-local-",
            "hosted-engine: Wrote \(conf) in place: ", "(its record written first, the file fsynced)",
        ] {
            #expect(set.stderr.contains(step), "\(step)\n\(set.stderr)")
        }
        let quiet = try setup.run(["--set-shared-config", "network_test", "dns", "--type", "he_local", "--quiet"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty && quiet.stdout.isEmpty, "\(quiet)")
    }
}
