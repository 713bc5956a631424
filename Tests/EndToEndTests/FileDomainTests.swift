import Foundation
import TestSupport
import Testing

/// A file domain as vdsm leaves it: volumes under /rhev/data-center/mnt/<server>/<sd>/images,
/// linked from /run/vdsm/storage only once vdsm prepared each image (after a reboot, none is).
struct FileDomainTests {
    /// The host with vdsm (its stand-in, first on PATH) answering for this storage.
    static func withVdsm(_ storage: UpstreamStorage.Storage, down: Bool = false) -> [String: String?] {
        var environment = Tool.environment(for: storage)
        environment["PATH"] = Fixtures.script("stand-ins") + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        environment["VDSM_STANDIN_DOMAIN"] = storage.vdsmDomain
        environment["VDSM_STANDIN_LOG"] = storage.root + "/vdsm-calls.log"
        if down { environment["VDSM_STANDIN_DOWN"] = "1" }
        return environment
    }

    /// Nothing prepared: a set asks vdsm to prepare the configuration image and writes through
    /// the path vdsm answers; the OVF_STOREs' images are prepared as the agent finds them.
    @Test func unpreparedImagesArePreparedThroughVdsm() throws {
        let directory = try TemporaryDirectory("file-domain-prepare")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--unprepared"])
        #expect(!FileManager.default.fileExists(atPath: storage.volumeLink))
        let host = Self.withVdsm(storage)
        let set = try Tool.run(["--set-shared-config", "smtp-port", "2525", "--verbose"], environment: host)
        #expect(set.status == 0, "\(set)")
        #expect(set.stderr.contains("vdsm prepared image e6bc4a37-0d8f-4e8e-9d77-6f4b8d0d6d3c"), "\(set)")
        #expect(FileManager.default.fileExists(atPath: storage.volume), "vdsm linked it")
        let calls = try String(contentsOfFile: storage.root + "/vdsm-calls.log", encoding: .utf8)
        #expect(
            calls.contains(
                "Image prepare imageID=e6bc4a37-0d8f-4e8e-9d77-6f4b8d0d6d3c storagedomainID=2164faa8-b18b-4036-b686-5a6eec95081b storagepoolID=00000000-0000-0000-0000-000000000000 volumeID=3a1f5c2e-8b7d-4e6f-a9c0-1d2e3f4a5b6c"
            ), "\(calls)")
        // The OVF_STOREs are not linked either: .meta files cannot be read there; vdsm finds them.
        let vm = try Tool.run(["--set-shared-config", "mem_size", "32768", "--type", "vm", "--force"], environment: host)
        #expect(vm.status == 0, "\(vm)")
        #expect(
            try Tool.run(["--get-shared-config", "mem_size", "--type", "vm"], environment: host).stdout == "mem_size : 32768, type : vm\n")
        let verified = try Tool.run(["--verify-storage"], environment: host)
        #expect(verified.status == 0 && verified.stdout.contains("No problems found."), "\(verified)")
    }

    /// vdsm down: the volume is found where upstream's lib/image.py looks, in the domain's mount.
    @Test func withVdsmDownTheMountIsLookedIn() throws {
        let directory = try TemporaryDirectory("file-domain-mount")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--unprepared"])
        let get = try Tool.run(["--get-shared-config", "smtp-port", "--verbose"], environment: Self.withVdsm(storage, down: true))
        #expect(get.stdout == "smtp-port : 25, type : broker\n", "\(get)")
        #expect(get.stderr.contains("in the file domain's mount, \(storage.mountRoot)"), "\(get)")
    }

    /// vdsm down and nothing mounted: one line naming the command that prepares the volume.
    @Test func nothingToFindNamesTheCommand() throws {
        let directory = try TemporaryDirectory("file-domain-none")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--unprepared"])
        var host = Self.withVdsm(storage, down: true)
        host["HE_MOUNT_ROOT"] = directory.file("nothing-mounted")
        let get = try Tool.run(["--get-shared-config", "smtp-port"], environment: host)
        #expect(get.status == 1, "\(get)")
        #expect(
            get.stderr.hasPrefix(
                "No configuration volume at \(storage.volumeLink) (No such file or directory), and vdsm did not prepare it (vdsm-client Image prepare failed (exit 1: vdsm-client: Connection to localhost:54321"
            ), "\(get)")
        #expect(
            get.stderr.hasSuffix(
                "Prepare it with vdsm-client Image prepare storagepoolID=00000000-0000-0000-0000-000000000000 storagedomainID=2164faa8-b18b-4036-b686-5a6eec95081b imageID=e6bc4a37-0d8f-4e8e-9d77-6f4b8d0d6d3c volumeID=3a1f5c2e-8b7d-4e6f-a9c0-1d2e3f4a5b6c, or pass --volume PATH.\n"
            ), "\(get)")
        #expect(get.stderr.split(separator: "\n").count == 1)
    }

    /// vdsm that cannot list a file domain's images (not connected to a pool, rhbz#1274622):
    /// the images are taken from the domain's folders in the mount, as upstream's lib/image.py
    /// does, and the OVF_STOREs still found through vdsm's getVolumes, getInfo and prepare.
    @Test func imagesFromTheMountWhenVdsmCannotListThem() throws {
        let directory = try TemporaryDirectory("file-domain-no-pool")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--unprepared"])
        var host = Self.withVdsm(storage)
        host["VDSM_STANDIN_NO_POOL"] = "1"
        let get = try Tool.run(["--get-shared-config", "mem_size", "--type", "vm"], environment: host)
        #expect(get.stdout == "mem_size : 16384, type : vm\n", "\(get)")
        let calls = try String(contentsOfFile: storage.root + "/vdsm-calls.log", encoding: .utf8)
        #expect(calls.contains("StorageDomain getImages") && calls.contains("Volume getInfo"), "\(calls)")
    }
}
