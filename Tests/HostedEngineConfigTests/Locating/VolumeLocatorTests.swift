import Foundation
import HostedEngineConfig
import TestSupport
import Testing

@Suite struct VolumeLocatorTests {
    /// The message a locate that finds nothing gives (a `volumeNotFound`), or nil.
    static func notFound(_ body: () throws -> Void) -> String? {
        do {
            try body()
        } catch let HostedEngineError.volumeNotFound(problem) {
            return problem.description
        } catch {
            return "another error: \(error)"
        }
        return nil
    }

    @Test func prefersTheOptionThenTheEnvironmentThenHostedEngineConf() throws {
        let directory = try TemporaryDirectory("locate")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M"])
        let other = try directory.write("other-volume", "x")
        let fromConf = VolumeLocator(hostedEngineConf: storage.hostedEngineConf, storageRoot: storage.storageRoot)
        #expect(try fromConf.locate() == storage.volumeLink)
        let fromEnvironment = VolumeLocator(environment: ["HE_CONF": storage.hostedEngineConf, "HE_STORAGE_ROOT": storage.storageRoot])
        #expect(try fromEnvironment.locate() == storage.volumeLink)
        var withVolume = fromConf
        withVolume.environment["HE_CONF_VOLUME"] = other
        #expect(try withVolume.locate() == other)
        withVolume.volume = storage.volume
        #expect(try withVolume.locate() == storage.volume)
    }

    /// hosted-engine.conf as the agent reads it: a key set twice is taken from its last line,
    /// `;` starts no comment, a lone CR ends a line.
    @Test func readsHostedEngineConfAsTheAgentDoes() throws {
        let directory = try TemporaryDirectory("locate-agent")
        let conf = try directory.write(
            "hosted-engine.conf", "sdUUID=old\nconf_image_UUID=img\r;conf_volume_UUID=hidden\nconf_volume_UUID=vol\nsdUUID = sd \n")
        let error = #expect(throws: HostedEngineError.self) {
            try VolumeLocator(hostedEngineConf: conf, storageRoot: directory.file("root")).locate()
        }
        #expect(
            error?.description.hasPrefix("No configuration volume at \(directory.file("root"))/sd/img/vol ") == true,
            "\(error?.description ?? "")")
    }

    @Test func saysWhatItLookedForAndWhere() throws {
        let directory = try TemporaryDirectory("locate-missing")
        let conf = try directory.write("hosted-engine.conf", "sdUUID=sd\nconf_image_UUID=img\nconf_volume_UUID=vol\n")
        // No vdsm-client on this PATH, no file domain mounted: the command that prepares it is named.
        let missing = VolumeLocator(
            hostedEngineConf: conf, storageRoot: directory.file("root"),
            environment: ["PATH": directory.path, "HE_MOUNT_ROOT": directory.file("mnt")])
        #expect(
            Self.notFound({ _ = try missing.locate() })
                == "No configuration volume at \(directory.file("root"))/sd/img/vol (No such file or directory), and vdsm did not prepare it (vdsm-client is not on PATH (it comes with vdsm-client, on every oVirt host)); is the storage domain connected on this host? Prepare it with vdsm-client Image prepare storagepoolID=00000000-0000-0000-0000-000000000000 storagedomainID=sd imageID=img volumeID=vol, or pass --volume PATH."
        )

        let partial = try directory.write("partial.conf", "sdUUID=sd\n")
        #expect(
            Self.notFound({ _ = try VolumeLocator(hostedEngineConf: partial).locate() })
                == "No configuration volume: \(partial) does not set conf_image_UUID, so it cannot be found under /run/vdsm/storage; pass --volume PATH."
        )

        let hostile = try directory.write("hostile.conf", "sdUUID=..\nconf_image_UUID=img\nconf_volume_UUID=vol\n")
        #expect(throws: HostedEngineError.self) { try VolumeLocator(hostedEngineConf: hostile).locate() }

        #expect(
            Self.notFound({ _ = try VolumeLocator(hostedEngineConf: directory.file("none.conf")).locate() })
                == "No configuration volume: no --volume or HE_CONF_VOLUME, and \(directory.file("none.conf")) (--he-conf) cannot be read (No such file or directory); pass --volume PATH, or point --he-conf at this host's hosted-engine.conf."
        )

        #expect(
            Self.notFound({ _ = try VolumeLocator(volume: "/nonexistent").locate() })
                == "No configuration volume at /nonexistent (from --volume): No such file or directory; check the path.")
    }

    @Test func refusesADirectoryAsTheVolume() throws {
        let directory = try TemporaryDirectory("locate-dir")
        let error = #expect(throws: HostedEngineError.self) { try Volume(path: directory.path, forWriting: false) }
        #expect(error?.description.hasPrefix("Cannot use the configuration volume \(directory.path): it is a directory") == true)
    }

    /// What vdsm answers is not trusted: a prepared path outside vdsm's storage folders (a
    /// compromised vdsm naming root's file) is refused, and the command to run named instead.
    @Test func aPreparedPathOutsideVdsmsFoldersIsRefused() throws {
        let directory = try TemporaryDirectory("locate-vdsm-path")
        let conf = try directory.write("hosted-engine.conf", "sdUUID=sd\nconf_image_UUID=img\nconf_volume_UUID=vol\n")
        let client = try directory.write(
            "bin/vdsm-client", "#!/bin/sh\nprintf '{\"path\": \"/etc/vol\", \"info\": {}}'\n")
        chmod(client, 0o755)
        let locator = VolumeLocator(
            hostedEngineConf: conf, storageRoot: directory.file("root"),
            environment: ["PATH": directory.file("bin"), "HE_MOUNT_ROOT": directory.file("mnt")])
        let error = #expect(throws: HostedEngineError.self) { try locator.locate() }
        #expect(
            error?.description.contains("and vdsm did not prepare it (vdsm answered a path outside its storage folders (/etc/vol))")
                == true, "\(error?.description ?? "")")
    }
}
