import Foundation
import TestSupport
import Testing

/// Whether the tests can act as vdsm here.
enum Attacker {
    static let canAttack = geteuid() == 0 && Command.isAvailable("setpriv")
}

/// Attacks by the vdsm user (setpriv --reuid=36 --regid=36 --clear-groups), who owns the HA
/// agents' folder and the storage, on root-owned canaries, through the tool run as root. Each
/// must be refused in one line with exit 1, the canary unchanged.
@Suite(.enabled(if: Attacker.canAttack, "needs root and setpriv to act as vdsm"))
struct AttackerTests {
    /// Runs `script` in sh as vdsm.
    static func asVdsm(_ script: String) throws -> CommandResult {
        try Command.run("setpriv", ["--reuid=36", "--regid=36", "--clear-groups", "sh", "-c", script])
    }

    /// A host's storage, laid out as oVirt leaves it, in a folder vdsm can pass through.
    static func host(_ label: String) throws -> (TemporaryDirectory, UpstreamStorage.Storage) {
        let directory = try TemporaryDirectory(label)
        chmod(directory.path, 0o711)
        return (directory, try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"]))
    }

    /// A root-owned file only root may read, as /etc/sudoers is.
    static func canary(in directory: TemporaryDirectory) throws -> (path: String, bytes: [UInt8]) {
        let bytes = Array("root ALL=(ALL) ALL\n".utf8)
        let path = try directory.write("canary", bytes)
        chmod(path, 0o440)
        return (path, bytes)
    }

    /// vdsm puts a link to root's file in place of ha.conf: a set of an ha key is refused and
    /// root's file is untouched; so are reads.
    @Test func haConfSwappedForALinkToARootFile() throws {
        let (directory, storage) = try Self.host("attack-ha-link")
        let canary = try Self.canary(in: directory)
        let swapped = try Self.asVdsm("rm -f '\(storage.haConf)' && ln -s '\(canary.path)' '\(storage.haConf)'")
        #expect(swapped.status == 0, "\(swapped)")
        let host = Tool.environment(for: storage)
        for arguments in [
            ["--set-shared-config", "local_maintenance", "True", "--type", "ha"],
            ["--get-shared-config", "local_maintenance", "--type", "ha"],
        ] {
            let result = try Tool.run(arguments, environment: host)
            #expect(result.status == 1, "\(arguments): \(result)")
            #expect(
                result.stderr
                    == "\(storage.haConf): it is a symbolic link, which this tool does not follow (whoever owns the folder could point it at any file); put the file itself there, or point HE_HA_CONF at it.\n",
                "\(result)")
        }
        #expect(try Files.read(canary.path) == canary.bytes)
    }

    /// vdsm replaces ha.conf with a FIFO: every command that reads it answers at once.
    @Test func haConfSwappedForAFifo() throws {
        let (directory, storage) = try Self.host("attack-ha-fifo")
        defer { withExtendedLifetime(directory) {} }
        let swapped = try Self.asVdsm("rm -f '\(storage.haConf)' && mkfifo '\(storage.haConf)'")
        #expect(swapped.status == 0, "\(swapped)")
        let started = Date()
        let result = try Tool.run(["--get-all-config", "--type", "ha"], environment: Tool.environment(for: storage))
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.hasSuffix("it is not a regular file; point HE_HA_CONF at the file itself.\n"), "\(result)")
        let set = try Tool.run(
            ["--set-shared-config", "local_maintenance", "True", "--type", "ha", "--lock-timeout", "1"],
            environment: Tool.environment(for: storage))
        #expect(set.status == 1 && set.stderr.contains("it is not a regular file"), "\(set)")
    }

    /// vdsm plants the record of an interrupted write beside ha.conf as a link to root's file:
    /// it is neither read as a record nor followed.
    @Test func aRecordPlantedAsALinkIsNotFollowed() throws {
        let (directory, storage) = try Self.host("attack-ha-record")
        let canary = try Self.canary(in: directory)
        let record = (storage.haConf as NSString).deletingLastPathComponent + "/.ha.conf.hosted-engine-journal"
        #expect(try Self.asVdsm("ln -s '\(canary.path)' '\(record)'").status == 0)
        let set = try Tool.run(
            ["--set-shared-config", "local_maintenance", "True", "--type", "ha"], environment: Tool.environment(for: storage))
        #expect(set.status == 0, "\(set)")
        #expect(try Files.read(canary.path) == canary.bytes)
        #expect(try String(contentsOfFile: storage.haConf, encoding: .utf8).contains("local_maintenance=True\n"))
    }

    /// A file of ha.conf's name that belongs to another user is not this host's ha.conf.
    @Test func haConfOfAnotherUserIsRefused() throws {
        let (directory, storage) = try Self.host("attack-ha-owner")
        defer { withExtendedLifetime(directory) {} }
        chown(storage.haConf, 1234, 1234)
        let result = try Tool.run(
            ["--set-shared-config", "local_maintenance", "True", "--type", "ha"], environment: Tool.environment(for: storage))
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("it belongs to uid 1234, not to root or vdsm as oVirt leaves it"), "\(result)")
    }

    /// A backup whose `.origin` names root's file, as vdsm could leave one where backups were
    /// kept in its folder: the restore is refused and root's file untouched.
    @Test func aBackupWhoseOriginNamesARootFile() throws {
        let (directory, storage) = try Self.host("attack-origin")
        let canary = try Self.canary(in: directory)
        let host = Tool.environment(for: storage)
        #expect(try Tool.run(["--set-shared-config", "local_maintenance", "True", "--type", "ha"], environment: host).status == 0)
        let backup = try #require(
            try FileManager.default.contentsOfDirectory(atPath: storage.backups).first { $0.hasPrefix("ha-conf-") && $0.hasSuffix(".conf") }
        )
        try directory.write("storage/backups/\(backup).origin", canary.path + "\n")
        // Without --ha-conf or HE_HA_CONF, a restore goes where the backup's .origin says.
        var restoring = host
        restoring["HE_HA_CONF"] = nil
        let restore = try Tool.run(["--restore-backup", storage.backups + "/" + backup, "--force"], environment: restoring)
        #expect(restore.status == 1, "\(restore)")
        #expect(
            restore.stderr.contains("its .origin names \(canary.path), which is not this host's /var/lib/ovirt-hosted-engine-ha/ha.conf"),
            "\(restore)")
        #expect(try Files.read(canary.path) == canary.bytes)
    }

    /// A backup whose bytes are not what its name's checksum says is refused.
    @Test func aForgedBackupIsNotRestored() throws {
        let (directory, storage) = try Self.host("attack-forged")
        defer { withExtendedLifetime(directory) {} }
        let host = Tool.environment(for: storage)
        #expect(try Tool.run(["--set-shared-config", "smtp-port", "2525"], environment: host).status == 0)
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: storage.backups).first { $0.hasPrefix("he-conf-") && $0.hasSuffix(".tar") })
        let path = storage.backups + "/" + name
        var bytes = try Files.read(path)
        bytes[600] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let before = try Files.read(storage.volume).prefix(20480)
        let restore = try Tool.run(["--restore-backup", path, "--force"], environment: host)
        #expect(restore.status == 1, "\(restore)")
        #expect(restore.stderr.contains("its content does not match the checksum in its name"), "\(restore)")
        #expect(try Files.read(storage.volume).prefix(20480) == before)
    }

    /// Terminal control sequences and bidi overrides in what a diff or a listing prints (a
    /// working file, the storage's bytes) are shown escaped, never sent raw.
    @Test func escapesNeverReachTheTerminalRaw() throws {
        let (directory, storage) = try Self.host("attack-escapes")
        let host = Tool.environment(for: storage)
        let checkout = directory.file("checkout")
        #expect(try Tool.run(["--checkout-config", checkout], environment: host).status == 0)
        let broker = try String(contentsOfFile: checkout + "/broker.conf", encoding: .utf8)
        let hostile = "smtp-server=\u{1B}]0;owned\u{07}\u{1B}[2Jmail\u{202E}moc.elpmaxe"
        try directory.write("checkout/broker.conf", broker.replacingOccurrences(of: "smtp-server=localhost", with: hostile))
        let diff = try Tool.run(["--config-diff", checkout], environment: host)
        #expect(diff.status == 1, "\(diff)")
        #expect(diff.stdout.contains("+smtp-server=\\x1b]0;owned\\x07\\x1b[2Jmail\\u202emoc.elpmaxe\n"), "\(diff)")
        for raw in ["\u{1B}", "\u{07}", "\u{202E}"] { #expect(!diff.stdout.contains(raw)) }
        // --validate-config's lines name keys from the file: a key of escapes too.
        try directory.write("checkout/broker.conf", broker + "\u{1B}[31mevil\u{202E}=1\n")
        let validate = try Tool.run(["--validate-config", checkout], environment: host)
        #expect(validate.status == 1, "\(validate)")
        #expect(validate.stdout.contains(".\\x1b[31mevil\\u202e is not editable"), "\(validate)")
        for raw in ["\u{1B}", "\u{202E}"] { #expect(!validate.stdout.contains(raw)) }
    }

    /// A checkout or download into an empty folder vdsm owns, or one others may write in, is
    /// refused: what root put there could be changed or read through links planted meanwhile.
    @Test func checkoutsIntoAFolderOthersControl() throws {
        let (directory, storage) = try Self.host("attack-checkout")
        let host = Tool.environment(for: storage)
        let vdsmFolder = directory.file("vdsm-folder")
        try FileManager.default.createDirectory(atPath: vdsmFolder, withIntermediateDirectories: false)
        chown(vdsmFolder, 36, 36)
        let open = directory.file("open-folder")
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: false)
        chmod(open, 0o777)
        for target in [vdsmFolder, open] {
            for command in ["--checkout-config", "--download-ovf-store"] {
                let result = try Tool.run([command, target], environment: host)
                #expect(result.status == 1, "\(command) \(target): \(result)")
                #expect(result.stderr.contains("or others may write in it, so what is put there could be changed"), "\(result)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
            }
        }
    }

    /// Backups in a folder vdsm controls (where versions before 0.14 kept them): vdsm can put a
    /// link to root's folder in its place. Such a folder is refused and nothing is written, in
    /// root's folder or anywhere.
    @Test func theBackupFolderUnderVdsmsFolder() throws {
        let (directory, storage) = try Self.host("attack-backups")
        let cron = directory.file("cron.d")
        try FileManager.default.createDirectory(atPath: cron, withIntermediateDirectories: false)
        let haFolder = (storage.haConf as NSString).deletingLastPathComponent
        #expect(try Self.asVdsm("ln -s '\(cron)' '\(haFolder)/backups'").status == 0)
        var host = Tool.environment(for: storage)
        for folder in [haFolder + "/backups", haFolder + "/other"] {
            host["HE_BACKUP_DIR"] = folder
            let before = try Files.read(storage.volume).prefix(20480)
            let set = try Tool.run(["--set-shared-config", "smtp-port", "2525"], environment: host)
            #expect(set.status == 1, "\(folder): \(set)")
            #expect(set.stderr.contains("Cannot save a backup of the current archive in \(folder)"), "\(set)")
            #expect(set.stderr.contains("belongs to uid 36, who could move the backups elsewhere"), "\(set)")
            #expect(try Files.read(storage.volume).prefix(20480) == before)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cron).isEmpty)
    }

    /// vdsm points the configuration volume (its file in the mount, which vdsm owns) at root's
    /// file, leaving a pending journal record beside the link. Every command run as root that
    /// reads, settles or writes the volume is refused in one line, and root's file is untouched:
    /// the link leads outside oVirt's storage; a root file inside it is not vdsm's, and vdsm,
    /// as whom the tool does all storage I/O, cannot write it.
    @Test(arguments: [false, true]) func theVolumeLinkedToARootFile(insideTheMount: Bool) throws {
        let directory = try TemporaryDirectory("attack-volume-link")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--style", "deploy", "--shrink", "--no-ovf-store"])
        var host = Tool.environment(for: storage)
        #expect(try Tool.run(["--set-shared-config", "smtp-port", "2525"], environment: host).status == 0)
        let backup = try #require(
            try FileManager.default.contentsOfDirectory(atPath: storage.backups).first { $0.hasPrefix("he-conf-") && $0.hasSuffix(".tar") })
        let archive = directory.file("archive.tar")
        #expect(try Tool.run(["--download-archive", archive], environment: host).status == 0)
        // A write cut short once its journal record is down leaves the record pending beside the volume.
        host["HE_TEST_CRASH_AFTER_BYTES"] = "45056"
        #expect(try Tool.run(["--set-shared-config", "smtp-port", "2526"], environment: host).status == 137)
        host["HE_TEST_CRASH_AFTER_BYTES"] = nil
        #expect(FileManager.default.fileExists(atPath: storage.volume + ".hosted-engine-journal"))

        let passwd = Array("root:x:0:0:root:/root:/bin/bash\n".utf8) + [UInt8](repeating: 0x0A, count: 40960)
        let canary =
            insideTheMount
            ? try directory.write("storage/rhev/data-center/mnt/canary", passwd) : try directory.write("canary", passwd)
        chmod(canary, insideTheMount ? 0o644 : 0o600)
        let swapped = try Self.asVdsm("mv '\(storage.volume)' '\(storage.volume).moved' && ln -s '\(canary)' '\(storage.volume)'")
        #expect(swapped.status == 0, "\(swapped)")

        // The backups stay listed (they are what a restore needs); what is on the volume is not compared.
        let listing = try Tool.run(["--list-backups"], environment: host)
        #expect(listing.status == 0 && listing.stdout.contains("cannot compare: Cannot use the configur"), "\(listing)")
        for arguments in [
            ["--get-shared-config", "smtp-port"], ["--checkout-config", directory.file("checkout")],
            ["--download-archive", directory.file("again.tar")], ["--set-shared-config", "smtp-port", "2527"],
            ["--restore-backup", storage.backups + "/" + backup, "--force"], ["--upload-archive", archive, "--force"], ["--verify-storage"],
        ] {
            let result = try Tool.run(arguments, environment: host)
            #expect(result.status == 1, "\(arguments): \(result)")
            // Inside the mount, root's file is refused as not vdsm's, or vdsm cannot open it to write.
            let reasons =
                insideTheMount
                ? ["it belongs to uid 0, not vdsm", "as vdsm, which cannot read and write it"]
                : ["it leads through a link to \(canary.replacingOccurrences(of: "//", with: "/")), outside oVirt's storage"]
            #expect(reasons.contains { (result.stdout + result.stderr).contains($0) }, "\(arguments): \(result)")
            if arguments[0] != "--verify-storage" {
                #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result)")
            }
            #expect(try Files.read(canary) == passwd, "\(arguments)")
        }
        #expect(!FileManager.default.fileExists(atPath: canary + ".hosted-engine-journal"))
    }

    /// vdsm points the configuration volume at a root-owned block device (a disk of the host's):
    /// a restore or an upload with --force, and a set, are refused and the device is untouched.
    @Test(.enabled(if: Command.isAvailable("losetup"))) func theVolumeLinkedToARootBlockDevice() throws {
        let (directory, storage) = try Self.host("attack-volume-device")
        var host = Tool.environment(for: storage)
        host["HE_STORAGE_ROOT"] = storage.storageRoot
        #expect(try Tool.run(["--set-shared-config", "smtp-port", "2525"], environment: host).status == 0)
        let backup = try #require(
            try FileManager.default.contentsOfDirectory(atPath: storage.backups).first { $0.hasPrefix("he-conf-") && $0.hasSuffix(".tar") })
        let archive = directory.file("archive.tar")
        #expect(try Tool.run(["--download-archive", archive], environment: host).status == 0)
        let disk = directory.file("disk")
        let bytes = [UInt8](repeating: 0x5A, count: 1 << 20)
        try Data(bytes).write(to: URL(fileURLWithPath: disk))
        let loop = try Command.run("losetup", ["--find", "--show", disk]).requireSuccess("losetup").stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        defer { _ = try? Command.run("losetup", ["-d", loop]) }
        chown(loop, 0, 6)
        chmod(loop, 0o660)
        #expect(try Self.asVdsm("rm -f '\(storage.volume)' && ln -s '\(loop)' '\(storage.volume)'").status == 0)
        for arguments in [
            ["--restore-backup", storage.backups + "/" + backup, "--force"], ["--upload-archive", archive, "--force"],
            ["--set-shared-config", "smtp-port", "2526", "--without-sanlock"],
        ] {
            let result = try Tool.run(arguments, environment: host)
            #expect(result.status == 1, "\(arguments): \(result)")
            #expect(result.stderr.contains("as vdsm, which cannot read"), "\(arguments): \(result)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result)")
        }
        #expect(try Files.readPrefix(loop, count: 1 << 20) == bytes)
    }

    /// vdsm forges a version in the shared history (it owns the storage): escape sequences in
    /// every field, and an archive whose member is a link to root's file. Listed escaped; never
    /// shown, restored or advised as a version; the volume unchanged.
    @Test func aForgedVersionInTheSharedHistory() throws {
        let (directory, storage) = try Self.host("attack-history")
        let host = Tool.environment(for: storage)
        #expect(try Tool.run(["--set-shared-config", "smtp-port", "2525"], environment: host).status == 0)
        let history = storage.volume + ".hosted-engine-history"
        let forge = try directory.write(
            "forge.py",
            #"""
            import hashlib, io, json, sys, tarfile
            buffer = io.BytesIO()
            with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
                link = tarfile.TarInfo("version")
                link.type = tarfile.SYMTYPE
                link.linkname = "/etc/shadow"
                tar.addfile(link)
            archive = buffer.getvalue()
            fields = {"sequence": 7, "time": 1, "host_id": 1, "hostname": "h\u001b]0;owned\u0007",
                      "user": "vdsm\u001b[2J", "command": "--set-shared-config x\u202e", "keys": ["broker:x\n\u001b[31m"],
                      "checksum": hashlib.sha256(archive).hexdigest(), "length": len(archive)}
            body = b"HE-CONF-HISTORY1\n" + json.dumps(fields).encode() + b"\n"
            body += b"check=" + hashlib.sha256(body).hexdigest().encode() + b"\n"
            with open(sys.argv[1], "r+b") as f:
                f.seek(7 << 20)
                f.write(body + b"\0" * (4096 - len(body)) + archive)
            """#)
        chmod(forge, 0o644)
        let forged = try Self.asVdsm("/usr/bin/python3 '\(forge)' '\(history)'")
        #expect(forged.status == 0, "\(forged)")
        let volumeBefore = try Files.read(storage.volume)

        let listed = try Tool.run(["--history"], environment: host)
        #expect(listed.status == 0, "\(listed)")
        let everything = listed.stdout + listed.stderr
        #expect(!everything.unicodeScalars.contains { [0x1B, 0x07, 0x202E].contains($0.value) }, "\(listed)")
        #expect(listed.stdout.contains("v7 "))
        for arguments in [
            ["--show-version", "v7"], ["--restore-backup", "v7", "--force"], ["--restore-backup", "v7", "--key", "smtp-port"],
        ] {
            let result = try Tool.run(arguments, environment: host)
            #expect(result.status == 1, "\(arguments): \(result)")
            #expect(
                result.stderr.hasPrefix("Version v7 of the shared history holds no valid configuration archive: "),
                "\(arguments): \(result)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result)")
        }
        #expect(try Files.read(storage.volume) == volumeBefore)
        // After damage, the advice passes the forged version over for the newest whole one.
        let zeros = try #require(FileHandle(forUpdatingAtPath: storage.volume))
        try zeros.write(contentsOf: Data(count: 20480))
        try zeros.close()
        let get = try Tool.run(["--get-shared-config", "smtp-port"], environment: host)
        #expect(get.stderr.contains("restore it with hosted-engine --restore-backup v2 --force."), "\(get)")
    }
}
