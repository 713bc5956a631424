import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// Root as a root-squashed NFS export sees it: without CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
/// and CAP_FOWNER it cannot read a vdsm:kvm 0660 volume in a 0770 folder. The tool does its
/// volume I/O as the volume's owner, as upstream does with `sudo -u vdsm`.
@Suite struct SquashedRootTests {
    static let drop = "cap_dac_override,cap_dac_read_search,cap_fowner"

    func squashed(_ arguments: [String], environment: [String: String?] = [:]) throws -> CommandResult {
        let line = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        return try Command.run("capsh", ["--drop=\(Self.drop)", "--", "-c", line], environment: environment)
    }

    func attributes(_ path: String) throws -> (uid: Int, gid: Int, mode: Int) {
        let values = try FileManager.default.attributesOfItem(atPath: path)
        return (
            (values[.ownerAccountID] as? NSNumber)?.intValue ?? -1,
            (values[.groupOwnerAccountID] as? NSNumber)?.intValue ?? -1,
            (values[.posixPermissions] as? NSNumber)?.intValue ?? -1
        )
    }

    @Test(arguments: [Int64(4 << 20), 20480])
    func aSquashedRootReadsAndWritesAsVdsm(size: Int64) throws {
        let directory = try TemporaryDirectory("squash")
        // As on a host, vdsm can reach the export's mount point.
        chmod(directory.path, 0o755)
        let export = directory.file("export")
        try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: false)
        let tar = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        let volume = try UpstreamStorage.makeVolume(at: export + "/volume", archive: tar, size: size)
        #expect(chown(volume, 36, 36) == 0 && chmod(volume, 0o660) == 0)
        #expect(chown(export, 36, 36) == 0 && chmod(export, 0o770) == 0)
        let backups = directory.file("backups")
        let environment: [String: String?] = ["HE_BACKUP_DIR": backups, "HE_CONF_VOLUME": nil, "HE_CONF": nil]

        // The control: this root really cannot read the volume.
        #expect(try squashed(["cat", volume]).status != 0)

        let get = try squashed([Tool.path, "--get-shared-config", "smtp-port", "--volume", volume], environment: environment)
        #expect(get.status == 0, "\(get)")
        #expect(get.stdout == "smtp-port : 25, type : broker\n")

        let set = try squashed([Tool.path, "--set-shared-config", "smtp-port", "2525", "--volume", volume], environment: environment)
        #expect(set.status == 0, "\(set)")
        let after = try squashed([Tool.path, "--get-shared-config", "smtp-port", "--volume", volume], environment: environment)
        #expect(after.stdout == "smtp-port : 2525, type : broker\n")

        let owner = try attributes(volume)
        #expect(owner.uid == 36 && owner.gid == 36 && owner.mode == 0o660)
        #expect(try Files.size(volume) == size)
        let saved = try FileManager.default.contentsOfDirectory(atPath: backups)
        #expect(saved.filter { !$0.hasSuffix(".origin") }.count == 1)
        #expect(saved.filter { $0.hasSuffix(".origin") }.count == 1, "the backup records the volume it came from")
        for name in saved {
            let backup = try attributes(backups + "/" + name)
            #expect(backup.uid == 36 && backup.gid == 36 && backup.mode == 0o600, "backup \(name) is \(backup)")
        }
        if size == 20480 {
            let journal = try attributes(volume + ".hosted-engine-journal")
            #expect(journal.uid == 36 && journal.gid == 36 && journal.mode == 0o660, "journal is \(journal)")
        }

        // The working-directory workflow too.
        let work = directory.file("work")
        #expect(try squashed([Tool.path, "--checkout-config", work, "--volume", volume], environment: environment).status == 0)
        let broker = work + "/broker.conf"
        try (try String(contentsOfFile: broker, encoding: .utf8)).replacingOccurrences(of: "smtp-port=2525", with: "smtp-port=587")
            .write(toFile: broker, atomically: false, encoding: .utf8)
        let push = try squashed([Tool.path, "--push-config", work], environment: environment)
        #expect(push.status == 0, "\(push)")
        #expect(
            try squashed([Tool.path, "--get-shared-config", "smtp-port", "--volume", volume], environment: environment).stdout
                == "smtp-port : 587, type : broker\n")
        #expect(try attributes(volume) == owner)
    }

    @Test func anotherUserIsToldItCannotReadOrWrite() throws {
        let directory = try TemporaryDirectory("squash-nobody")
        chmod(directory.path, 0o755)
        let tar = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        let volume = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: tar, size: 1 << 20)
        chmod(volume, 0o600)
        let read = try Command.run(
            "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Tool.path, "--get-all-config", "--volume", volume])
        #expect(read.status == 1)
        #expect(
            read.stderr
                == "Cannot use the configuration volume \(volume): permission denied (Permission denied); run as root or as the volume's owner (vdsm), who can read it\n"
        )
        chmod(volume, 0o644)
        let write = try Command.run(
            "setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", Tool.path, "--set-shared-config", "smtp-port", "587", "--volume", volume],
            environment: ["HE_BACKUP_DIR": directory.file("backups")])
        #expect(write.status == 1)
        #expect(write.stderr.contains("who can read and write it"))
        #expect(try Files.readPrefix(volume, count: 20480) == tar)
    }
}
