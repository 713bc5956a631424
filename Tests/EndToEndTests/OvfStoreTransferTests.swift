import ArchiveKit
import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// --download-ovf-store and --upload-ovf-store through the binary, on two OVF_STORE copies laid
/// out as the engine writes them.
@Suite struct OvfStoreTransferTests {
    typealias Setup = VmConfigTests.Setup
    static let other = "9f1e2d3c-4b5a-4697-8877-665544332211.ovf"
    static let engine = "\(VmConfigTests.vmid).ovf"

    func download(_ setup: Setup, _ name: String = "dl") throws -> String {
        let directory = setup.directory.file(name)
        let result = try setup.run(["--download-ovf-store", directory])
        #expect(result.status == 0, "\(result)")
        return directory
    }

    func volumes(_ setup: Setup) throws -> [[UInt8]] {
        try setup.stores.map { try Files.read($0) }
    }

    func write(_ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func downloadGivesEveryMemberAsAFileAndAnUnchangedUploadWritesNothing() throws {
        let setup = try Setup("ovfs-roundtrip")
        let directory = try download(setup)
        let newest = try setup.archive(setup.stores[1])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names == newest.tar.members.map(\.entry.path).sorted())
        for member in newest.tar.members {
            #expect(try Files.read(directory + "/" + member.entry.path) == member.contents)
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + member.entry.path)
            #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == Double(member.entry.modificationTime))
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
        let before = try volumes(setup)
        let upload = try setup.run(["--upload-ovf-store", directory])
        #expect(upload.status == 0)
        #expect(upload.stderr.contains("nothing was written"))
        #expect(try volumes(setup) == before)

        let json = try setup.run(["--download-ovf-store", setup.directory.file("json"), "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: Any]
        #expect(object?["base"] as? String == Checksum(of: newest.bytes).description)
        #expect(object?["members"] as? Int == newest.tar.members.count)
    }

    @Test func changedAddedAndRemovedFilesReachEveryCopyAndEveryOtherByteStays() throws {
        let setup = try Setup("ovfs-change")
        let directory = try download(setup)
        let base = try setup.archive(setup.stores[1])
        let edited = String(decoding: try Files.read(directory + "/" + Self.other), as: UTF8.self)
            .replacingOccurrences(of: "<Name>", with: "<Name>renamed-")
        try write(directory + "/" + Self.other, edited)
        let added = "11111111-2222-3333-4444-555555555555.ovf"
        try write(directory + "/" + added, edited)
        try FileManager.default.removeItem(atPath: directory + "/metadata.json")

        let upload = try setup.run(["--upload-ovf-store", directory])
        #expect(upload.status == 0, "\(upload)")
        #expect(upload.stderr.contains("changed \(Self.other); added \(added); removed metadata.json."))
        #expect(upload.stderr.components(separatedBy: "Saved the replaced archive as").count == 3, "one backup per copy")
        for store in setup.stores {
            let after = try setup.archive(store)
            #expect(after.tar.members.map(\.entry.path) == ["info.json", Self.engine, Self.other, added])
            #expect(after.bytes.count % 10240 == 0)
            for name in ["info.json", Self.engine] {
                let old = try #require(base.tar.members.first { $0.entry.path == name })
                let new = try #require(after.tar.members.first { $0.entry.path == name })
                #expect(Array(base.bytes[old.span]) == Array(after.bytes[new.span]), "\(name) keeps every byte")
            }
            #expect(after.tar.members[2].contents == Array(edited.utf8))
            #expect(after.tar.members[3].contents == Array(edited.utf8))
            // GNU tar, bsdtar and Python read what was written.
            let names = ["info.json", Self.engine, Self.other, added]
            #expect(try TarReaders.gnuTar(volume: store, count: after.bytes.count).names == names)
            #expect(try TarReaders.bsdtar(volume: store, count: after.bytes.count).names == names)
            #expect(try TarReaders.python(volume: store, count: after.bytes.count).listing.contents[added] == Array(edited.utf8))
        }
        // The base moved forward: the same directory uploads as a no-op, and vm keys still read.
        #expect(try setup.run(["--upload-ovf-store", directory]).stderr.contains("nothing was written"))
        #expect(try setup.run(["--get-shared-config", "mem_size", "--type", "vm"]).stdout == "mem_size : 16384, type : vm\n")
    }

    @Test func aCopyThatMovedOnIsAConflictUnlessForced() throws {
        let setup = try Setup("ovfs-conflict")
        let directory = try download(setup)
        #expect(try setup.run(["--set-shared-config", "mem_size", "32768", "--type", "vm", "--force"]).status == 0)
        try write(directory + "/info.json", #"{"edited":true}"#)
        let before = try volumes(setup)
        let conflict = try setup.run(["--upload-ovf-store", directory])
        #expect(conflict.status == 3)
        #expect(conflict.stderr.hasSuffix("Update failed. The configuration file was changed by somebody else, try again.\n"))
        #expect(try volumes(setup) == before)
        let forced = try setup.run(["--upload-ovf-store", directory, "--force"])
        #expect(forced.status == 0, "\(forced)")
        // The directory's engine OVF (as downloaded) replaced the set: a restore.
        #expect(try setup.run(["--get-shared-config", "mem_size", "--type", "vm"]).stdout == "mem_size : 16384, type : vm\n")
    }

    @Test func whatTheAgentsOrTheEngineCouldNotReadIsRefused() throws {
        let setup = try Setup("ovfs-refused")
        let before = try volumes(setup)
        func refused(_ prepare: (String) throws -> Void, _ message: String, line: Int = #line) throws {
            let directory = try download(setup, "dl-\(line)")
            try prepare(directory)
            let result = try setup.run(["--upload-ovf-store", directory])
            #expect(result.status == 1, "line \(line): \(result)")
            #expect(result.stderr.contains(message), "line \(line): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 || (lines.count == 2 && lines[0].hasPrefix("OVF_STORE copies:")), "one line: \(result.stderr)")
            #expect(try volumes(setup) == before, "line \(line)")
        }
        try refused({ try FileManager.default.removeItem(atPath: $0 + "/" + Self.engine) }, "lacks \(Self.engine), the engine VM's OVF")
        try refused({ try write($0 + "/notes.txt", "x") }, "notes.txt is not an OVF_STORE member")
        try refused(
            { try FileManager.default.createDirectory(atPath: $0 + "/sub.ovf", withIntermediateDirectories: false) },
            "sub.ovf is not a regular file")
        try refused({ try write($0 + "/" + Self.other, "not xml") }, "has no <Content> element; is it an OVF?")
        try refused(
            { directory in
                let path = directory + "/" + Self.engine
                let text = String(decoding: try Files.read(path), as: UTF8.self)
                    .replacingOccurrences(
                        of: "<rasd:num_of_sockets>12</rasd:num_of_sockets>", with: "<rasd:num_of_sockets>8</rasd:num_of_sockets>")
                try write(path, text)
            }, "does not restate its changed vm keys everywhere")
        try refused({ try FileManager.default.removeItem(atPath: $0 + "/.hosted-engine/ovf-store") }, "holds no downloaded OVF_STORE")
    }

    /// A copy that fails after another was written is named, with the way to finish; --force
    /// then writes over a copy that holds no archive, saving what was there.
    @Test func aCopyThatFailsIsNamedAndForceFinishesTheJob() throws {
        let setup = try Setup("ovfs-partly")
        let directory = try download(setup)
        let edited = String(decoding: try Files.read(directory + "/" + Self.other), as: UTF8.self)
            .replacingOccurrences(of: "<Name>", with: "<Name>partly-")
        try write(directory + "/" + Self.other, edited)
        let garbage = [UInt8](repeating: 0x5A, count: 40960)
        try Files.overwrite(setup.stores[0], with: garbage)
        let partly = try setup.run(["--upload-ovf-store", directory])
        #expect(partly.status == 1)
        #expect(
            partly.stderr.contains(
                "The upload was written to \(setup.stores[1]) but not to \(setup.stores[0]); run hosted-engine --upload-ovf-store DIR --force to bring them in step."
            ))
        #expect(try setup.archive(setup.stores[1]).tar.members.first { $0.entry.path == Self.other }?.contents == Array(edited.utf8))
        #expect(try Files.readPrefix(setup.stores[0], count: garbage.count) == garbage)

        // The first copy holds DIR already: without --force nothing more is written.
        #expect(try setup.run(["--upload-ovf-store", directory]).stderr.contains("nothing was written"))
        let forced = try setup.run(["--upload-ovf-store", directory, "--force"])
        #expect(forced.status == 0, "\(forced)")
        #expect(forced.stderr.contains("the copies that differed now hold it"))
        #expect(try setup.archive(setup.stores[0]).bytes == (try setup.archive(setup.stores[1]).bytes))
        let backups = try setup.run(["--list-backups", "--json"])
        let sizes = (try JSONSerialization.jsonObject(with: Data(backups.stdoutBytes)) as? [[String: Any]])?.compactMap {
            $0["bytes"] as? Int
        }
        #expect(sizes?.contains(40960) == true, "what the broken copy held was saved: \(backups.stdout)")
    }

    @Test func aDirectoryFromAnotherCopyIsRefused() throws {
        let setup = try Setup("ovfs-elsewhere")
        let directory = try download(setup)
        var host = setup.host
        host["HE_OVF_STORE"] = setup.stores[0]
        let refused = try Tool.run(["--upload-ovf-store", directory], environment: host)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "it was downloaded from \(setup.stores[1]), which is not among the OVF_STORE copies found (\(setup.stores[0])); pass --ovf-store \(setup.stores[1])"
            ))
    }

    @Test func aDownloadNeedsANewDirectoryAndLeavesNothingWhenItFails() throws {
        let setup = try Setup("ovfs-download")
        let occupied = setup.directory.file("occupied")
        try FileManager.default.createDirectory(atPath: occupied, withIntermediateDirectories: false)
        try write(occupied + "/mine", "x")
        let refused = try setup.run(["--download-ovf-store", occupied])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("it already exists and is not empty; download into a new directory"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: occupied) == ["mine"])

        // A member in a folder cannot be a file of the download: nothing is left behind.
        let writer = try TarWriter(format: .gnu, recordSize: 10240)
        try writer.append(TarEntry(path: "info.json"), contents: Array("{}".utf8))
        try writer.append(TarEntry(path: "sub/x.ovf"), contents: Array("<x/>".utf8))
        let hostile = try writer.finish()
        try Files.overwrite(setup.stores[1], with: hostile + [UInt8](repeating: 0, count: 1 << 20))
        let failed = try setup.run(["--download-ovf-store", setup.directory.file("new")])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("'sub/x.ovf' is in a folder"))
        #expect(!FileManager.default.fileExists(atPath: setup.directory.file("new")))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: setup.directory.path).allSatisfy {
                !$0.hasPrefix(".hosted-engine-download-")
            })
    }

    /// The newest copy is written first: its journal (the new archive and the bytes it replaces,
    /// 81,920 bytes here, then the header, whole once its first 152 bytes are), then the archive
    /// in place. A crash before the header is whole leaves the old archive; after, the new,
    /// completed by the next reader.
    @Test(arguments: [600, 15_000, 60_000, 82_000, 86_000, 100_000, 126_000])
    func anUploadCutShortLeavesTheOldStoreOrTheNew(crashAfter bytes: Int) throws {
        let setup = try Setup("ovfs-crash-\(bytes)")
        let directory = try download(setup)
        let olds = try setup.stores.map { try setup.archive($0).bytes }
        #expect(olds[1].count == 40960, "the journal's size above assumes this")
        let edited = String(decoding: try Files.read(directory + "/" + Self.other), as: UTF8.self)
            .replacingOccurrences(of: "<Name>", with: "<Name>crash-")
        try write(directory + "/" + Self.other, edited)
        var environment = setup.host
        environment["HE_TEST_CRASH_AFTER_BYTES"] = String(bytes)
        let crashed = try Tool.run(["--upload-ovf-store", directory], environment: environment)
        #expect(crashed.status != 0)
        // The next reader settles the journal.
        #expect(try setup.run(["--get-shared-config", "mem_size", "--type", "vm"]).status == 0)
        let newest = try setup.archive(setup.stores[1])
        let other = try #require(newest.tar.members.first { $0.entry.path == Self.other }).contents
        if bytes < 81_920 + 152 {
            #expect(sameBytes(newest.bytes, olds[1]), "\(bytes): the old archive")
        } else {
            #expect(other == Array(edited.utf8), "\(bytes): the new archive")
        }
        #expect(sameBytes(try setup.archive(setup.stores[0]).bytes, olds[0]), "the older copy is written after")
        // And the upload, run again, finishes the job on every copy.
        #expect(try setup.run(["--upload-ovf-store", directory, "--force"]).status == 0)
        for store in setup.stores {
            #expect(try setup.archive(store).tar.members.first { $0.entry.path == Self.other }?.contents == Array(edited.utf8))
        }
    }

    /// An OVF_STORE on a block device (an iSCSI or FC domain's LV) is read and written with
    /// O_DIRECT: every write must be whole blocks at block offsets, however odd the files' sizes.
    @Test func aLargeStoreOnABlockDeviceWithOddSizedFiles() throws {
        let setup = try Setup("ovfs-block")
        let ovf = String(decoding: try Fixtures.bytes("upstream/ovf_test.xml"), as: UTF8.self)
        let writer = try TarWriter(format: .gnu, recordSize: 10240)
        try writer.append(TarEntry(path: "info.json"), contents: Array("{}".utf8))
        try writer.append(TarEntry(path: Self.engine), contents: try setup.ovf(setup.stores[1]))
        for index in 0..<200 {
            let padded = ovf.replacingOccurrences(of: "<Name>", with: "<Name>" + String(repeating: "x", count: index * 7 + 1))
            try writer.append(TarEntry(path: String(format: "00000000-0000-4000-8000-%012d.ovf", index)), contents: Array(padded.utf8))
        }
        let archive = try writer.finish()
        #expect(archive.count > 2 << 20, "several megabytes of pieces")
        try Files.overwrite(setup.stores[1], with: archive)
        let loop = try Command.run("losetup", ["--find", "--show", setup.stores[1]]).requireSuccess("losetup").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? Command.run("losetup", ["-d", loop]) }
        try Files.giveToVdsm(loop)
        var host = setup.host
        host["HE_OVF_STORE"] = loop
        let directory = setup.directory.file("dl")
        #expect(try Tool.run(["--download-ovf-store", directory], environment: host).status == 0)
        for index in [3, 77, 150] {
            let path = directory + String(format: "/00000000-0000-4000-8000-%012d.ovf", index)
            let text = String(decoding: try Files.read(path), as: UTF8.self).replacingOccurrences(of: "<Name>", with: "<Name>odd\(index)")
            try write(path, text)
        }
        // No sanlock here: the loop device is written under this host's lock alone.
        let upload = try Tool.run(["--upload-ovf-store", directory, "--without-sanlock"], environment: host)
        #expect(upload.status == 0, "\(upload)")
        let set = try Tool.run(
            ["--set-shared-config", "min_allocated_mem", "8192", "--type", "vm", "--force", "--without-sanlock"], environment: host)
        #expect(set.status == 0, "\(set)")
        let written = try TarArchive(
            bytes: try Files.readPrefix(loop, count: 4 << 20), limits: .init(maximumMembers: 1000, maximumMemberSize: 1 << 20))
        #expect(written.members.count == 202)
        for member in written.members where member.entry.path.hasPrefix("00000000") {
            let expected = try Files.read(directory + "/" + member.entry.path)
            #expect(member.contents == expected, "\(member.entry.path)")
        }
        #expect(
            try Tool.run(["--get-shared-config", "min_allocated_mem", "--type", "vm"], environment: host).stdout
                == "min_allocated_mem : 8192, type : vm\n")
    }
}
