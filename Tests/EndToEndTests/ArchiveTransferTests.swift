import ArchiveKit
import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// Download, upload and backups through the built binary.
@Suite struct ArchiveTransferTests {
    /// Small volumes: these tests compare whole volumes before and after.
    static let smallVolume = ["--size", "4M"]

    func backups(_ storage: UpstreamStorage.Storage) throws -> [String] {
        // Each backup has its `.origin` beside it.
        (try? FileManager.default.contentsOfDirectory(atPath: storage.backups).filter { !$0.hasSuffix(".origin") }.sorted()) ?? []
    }

    func download(_ storage: UpstreamStorage.Storage, to file: String) throws -> String {
        let result = try Tool.run(["--download-archive", file], environment: Tool.environment(for: storage))
        #expect(result.status == 0, "\(result)")
        let line = result.stderr.trimmingCharacters(in: .newlines)
        #expect(line.hasPrefix("base: sha256:") && line.count == "base: sha256:".count + 64)
        return String(line.dropFirst("base: ".count))
    }

    @Test(arguments: ["archive.tar", "archive.tar.gz"])
    func downloadThenUploadUnchangedIsANoOp(name: String) throws {
        let directory = try TemporaryDirectory("transfer-noop")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let file = directory.file(name)
        let base = try download(storage, to: file)
        let stored = try Files.readPrefix(storage.volume, count: 20480)
        let saved = try Files.read(file)
        #expect(name.hasSuffix(".gz") ? try Gzip.decompress(saved, limit: 1 << 20) == stored : saved == stored)
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let volumeBefore = try Files.read(storage.volume)

        let upload = try Tool.run(["--upload-archive", file, "--base", base], environment: Tool.environment(for: storage))
        #expect(upload.status == 0)
        #expect(upload.stderr == "The volume already holds this archive; nothing was written.\n")
        #expect(try Files.read(storage.volume) == volumeBefore)
        #expect(try backups(storage).isEmpty)
    }

    @Test func downloadToStdoutAndJSON() throws {
        let directory = try TemporaryDirectory("transfer-stdout")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let stdout = try Tool.run(["--download-archive", "-"], environment: Tool.environment(for: storage))
        #expect(stdout.stdoutBytes == (try Files.readPrefix(storage.volume, count: 20480)))
        let json = try Tool.run(["--download-archive", directory.file("a.tar"), "--json"], environment: Tool.environment(for: storage))
        let object = try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: Any]
        #expect(object?["base"] as? String == Checksum(of: try Files.readPrefix(storage.volume, count: 20480)).description)
        #expect(object?["bytes"] as? Int == 20480)
        #expect(try Tool.run(["--download-archive", "-", "--json"], environment: Tool.environment(for: storage)).status == 64)
    }

    /// Extracts `file`, applies `edit` to `member`, and rebuilds the tar with GNU tar, as an
    /// administrator would.
    func rebuilt(_ file: String, in directory: TemporaryDirectory, member: String = "broker.conf", _ edit: (String) -> String) throws
        -> String
    {
        let work = directory.file("rebuild-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try Command.shell("tar -xf '\(file)' -C '\(work)'")
        let text = try String(contentsOfFile: work + "/" + member, encoding: .utf8)
        try edit(text).write(toFile: work + "/" + member, atomically: false, encoding: .utf8)
        let output = directory.file("edited-\(UUID().uuidString).tar")
        try Command.shell("cd '\(work)' && tar -cf '\(output)' version fhanswers.conf hosted-engine.conf broker.conf vm.conf")
        return output
    }

    @Test func anEditedUploadWithItsBaseIsApplied() throws {
        let directory = try TemporaryDirectory("transfer-apply")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let file = directory.file("archive.tar")
        let base = try download(storage, to: file)
        let edited = try rebuilt(file, in: directory) { $0.replacingOccurrences(of: "smtp-port=25", with: "smtp-port=587") }
        let before = try Files.readPrefix(storage.volume, count: 20480)

        let upload = try Tool.run(["--upload-archive", edited, "--base", base], environment: Tool.environment(for: storage))
        #expect(upload.status == 0, "\(upload)")
        #expect(upload.stderr.hasPrefix("Saved the replaced archive as \(storage.backups)/he-conf-"))
        #expect(
            try Tool.run(["--get-shared-config", "smtp-port"], environment: Tool.environment(for: storage)).stdout
                == "smtp-port : 587, type : broker\n")
        // Only broker.conf moved; the members GNU tar rewrote with other owners and times keep their bytes.
        let after = try Files.readPrefix(storage.volume, count: 20480)
        let old = try ConfigArchive(bytes: before, origin: "before")
        let new = try ConfigArchive(bytes: after, origin: "after")
        for name in ConfigArchive.memberNames where name != "broker.conf" {
            #expect(Array(after[new.member(named: name)!.span]) == Array(before[old.member(named: name)!.span]))
        }
        #expect(try backups(storage).count == 1)
    }

    @Test func anUploadAfterSomebodyElsesChangeExitsThree() throws {
        let directory = try TemporaryDirectory("transfer-stale")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let file = directory.file("archive.tar")
        let base = try download(storage, to: file)
        let edited = try rebuilt(file, in: directory) { $0.replacingOccurrences(of: "smtp-port=25", with: "smtp-port=587") }
        #expect(
            try Tool.run(["--set-shared-config", "smtp-server", "other.example.com"], environment: Tool.environment(for: storage)).status
                == 0)
        let before = try Files.read(storage.volume)
        let backupsBefore = try backups(storage)

        let upload = try Tool.run(["--upload-archive", edited, "--base", base], environment: Tool.environment(for: storage))
        #expect(upload.status == 3)
        // The key that changed, its value now, and who changed it, from the shared history.
        let lines = upload.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "Update failed. The configuration file was changed by somebody else, try again.")
        #expect(
            lines.count == 2 && lines[1].hasPrefix("  broker.conf email.smtp-server is now 'other.example.com', changed at ")
                && lines[1].hasSuffix(" with --set-shared-config smtp-server (v2)"), "\(lines)")
        #expect(try Files.read(storage.volume) == before)
        #expect(try backups(storage) == backupsBefore)
    }

    @Test func aNonEditableChangeNeedsForce() throws {
        let directory = try TemporaryDirectory("transfer-force")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let file = directory.file("archive.tar")
        let base = try download(storage, to: file)
        let edited = try rebuilt(file, in: directory) { $0.replacingOccurrences(of: "smtp-timeout=10", with: "smtp-timeout=30") }
        let before = try Files.read(storage.volume)

        let refused = try Tool.run(["--upload-archive", edited, "--base", base], environment: Tool.environment(for: storage))
        #expect(refused.status == 1)
        #expect(
            refused.stderr == """
                broker.conf:4: email.smtp-timeout is not editable (changed from '10' to '30'); the editable keys of broker.conf are smtp-port, destination-emails, smtp-server, source-email, state_transition \
                (nothing was uploaded from \(edited); --force restores an archive with other changes, such as an old backup)

                """)
        #expect(try Files.read(storage.volume) == before)

        let forced = try Tool.run(["--upload-archive", edited, "--force"], environment: Tool.environment(for: storage))
        #expect(forced.status == 0, "\(forced)")
        let gnu = try TarReaders.gnuTar(volume: storage.volume)
        #expect(String(decoding: gnu.contents["broker.conf"] ?? [], as: UTF8.self).contains("smtp-timeout=30"))
        // A forced upload is written as given.
        #expect(
            try Files.readPrefix(storage.volume, count: 20480) == Files.read(edited).prefix(20480)
                + [UInt8](repeating: 0, count: max(0, 20480 - (try Files.read(edited)).count)))
    }

    @Test func baseMustBeWholeAndUploadsMustBeSound() throws {
        let directory = try TemporaryDirectory("transfer-base")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let file = directory.file("archive.tar")
        let base = try download(storage, to: file)
        let prefix = try Tool.run(
            ["--upload-archive", file, "--base", String(base.prefix(20))], environment: Tool.environment(for: storage))
        #expect(prefix.status == 64)
        #expect(prefix.stderr.contains("give all of it, sha256: and 64 hex digits"))
        let none = try Tool.run(["--upload-archive", file], environment: Tool.environment(for: storage))
        #expect(none.status == 64)

        // Structural checks hold even with --force.
        let missing = try UpstreamStorage.editorArchive(Array(try Fixtures.configMembers().dropLast()), in: directory)
        let path = try directory.write("four.tar", missing)
        let result = try Tool.run(["--upload-archive", path, "--force"], environment: Tool.environment(for: storage))
        #expect(result.status == 1)
        #expect(result.stderr.contains("it lacks vm.conf"))
        let garbage = try directory.write("garbage.tar", Array(repeating: 0x41, count: 4096))
        #expect(try Tool.run(["--upload-archive", garbage, "--force"], environment: Tool.environment(for: storage)).status == 1)
    }

    @Test func aTarWithEvilNamesNeverWritesOutside() throws {
        let directory = try TemporaryDirectory("transfer-evil")
        for evil in ["../evil", "/tmp/hosted-engine-evil-\(UUID().uuidString)"] {
            let writer = try TarWriter(format: .pax, recordSize: 20480)
            for member in try Fixtures.configMembers() { try writer.append(TarEntry(path: member.name), contents: member.bytes) }
            try writer.append(TarEntry(path: evil), contents: Array("pwned\n".utf8))
            let tar = try writer.finish()
            let volume = try UpstreamStorage.makeVolume(at: directory.file("evil-volume"), archive: tar, size: 1 << 20)
            let work = directory.file("inner/work")
            let checkout = try Tool.run(["--checkout-config", work, "--volume", volume])
            #expect(checkout.status == 1)
            #expect(checkout.stderr.contains("points outside the archive"), "\(checkout)")
            #expect(!FileManager.default.fileExists(atPath: directory.file("inner/evil")))
            #expect(!FileManager.default.fileExists(atPath: directory.file("evil")))
            #expect(!FileManager.default.fileExists(atPath: evil))
            #expect(!FileManager.default.fileExists(atPath: work + "/broker.conf"))

            let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M"])
            let upload = try Tool.run(
                ["--upload-archive", try directory.write("evil.tar", tar), "--force"], environment: Tool.environment(for: storage))
            #expect(upload.status == 1)
            try FileManager.default.removeItem(atPath: storage.root)
        }
    }

    @Test func everyBackupRestoresTheArchiveItSaved() throws {
        let directory = try TemporaryDirectory("transfer-backups")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: Self.smallVolume)
        let host = Tool.environment(for: storage)
        var states = [try Files.readPrefix(storage.volume, count: 20480)]
        for (key, value) in [("smtp-server", "a.example.com"), ("smtp-port", "587"), ("destination-emails", "x@example.com")] {
            #expect(try Tool.run(["--set-shared-config", key, value], environment: host).status == 0)
            states.append(try Files.readPrefix(storage.volume, count: 20480))
        }
        let listed = try Tool.run(["--list-backups", "--json"], environment: host)
        let backups = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdoutBytes)) as? [[String: Any]])
        // Each write saved the state before it, oldest first.
        #expect(backups.compactMap { $0["checksum"] as? String } == states.dropLast().map { Checksum(of: $0).description })
        for (index, backup) in backups.enumerated() {
            let path = try #require(backup["path"] as? String)
            #expect(try Files.read(path) == states[index])
            let restore = try Tool.run(["--upload-archive", path, "--force"], environment: host)
            #expect(restore.status == 0, "\(restore)")
            #expect(try Files.readPrefix(storage.volume, count: 20480) == states[index])
        }
        let human = try Tool.run(["--list-backups"], environment: host)
        #expect(human.stdout.split(separator: "\n").count >= 3)
        #expect(human.stdout.contains(" UTC  he-conf    \(Checksum(of: states[0]).hex.prefix(12))  20 KiB    config volume "), "\(human)")
        #expect(human.stdout.split(separator: "\n").allSatisfy { $0.count <= 120 }, "\(human)")
    }
}
