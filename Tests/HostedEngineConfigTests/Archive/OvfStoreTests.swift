import ArchiveKit
import Foundation
import TestSupport
import Testing

@testable import HostedEngineConfig

@Suite struct OvfStoreTests {
    @Test func replacingAnOvfKeepsTheOtherMembersAndTheRecordSize() throws {
        let directory = try TemporaryDirectory("ovf-splice")
        let writer = try TarWriter(format: .gnu, recordSize: 10240)
        let members: [(String, [UInt8])] = [
            ("info.json", Array(#"{"Last Updated":"x"}"#.utf8)), ("vm-1.ovf", Array(repeating: 65, count: 3000)),
            ("other.ovf", Array(repeating: 66, count: 5000)), ("metadata.json", Array("{}".utf8)),
        ]
        for (name, contents) in members { try writer.append(TarEntry(path: name), contents: contents) }
        let bytes = try writer.finish()
        let path = try directory.write("store", bytes + [UInt8](repeating: 0, count: (1 << 20) - bytes.count))
        let volume = try Volume(path: path, forWriting: true)
        let image = try OvfStoreImage(volume: volume)
        #expect(image.recordSize == 10240)
        #expect(image.count == bytes.count)
        #expect(image.checksum == Checksum(of: bytes))

        let spliced = try image.replacing(member: "vm-1.ovf", with: Array(repeating: 67, count: 9000), modificationTime: 5)
        let written = try CompareAndSwap(volume: volume, lockTimeout: 1, backups: BackupStore(directory: directory.file("backups")))
            .replace(baseChecksum: image.checksum, baseCount: image.count, kind: OvfStoreArchive.backupKind, with: spliced, now: 5)
        let replaced = Array(try directory.read("store").prefix(spliced.count))
        #expect(replaced.count % 10240 == 0)
        #expect(try image.checksumAfterWriting(written.record) == Checksum(of: replaced))
        #expect(try OvfStoreImage(volume: volume).checksum == Checksum(of: replaced))
        let before = try TarArchive(bytes: bytes, limits: OvfStoreArchive.limits)
        let after = try TarArchive(bytes: replaced, limits: OvfStoreArchive.limits)
        #expect(after.members.first { $0.entry.path == "vm-1.ovf" }?.contents == Array(repeating: 67, count: 9000))
        #expect(after.members.first { $0.entry.path == "vm-1.ovf" }?.entry.modificationTime == 5)
        for (name, contents) in members where name != "vm-1.ovf" {
            let old = try #require(before.members.first { $0.entry.path == name })
            let new = try #require(after.members.first { $0.entry.path == name })
            #expect(new.contents == contents)
            #expect(Array(bytes[old.span]) == Array(replaced[new.span]), "\(name) keeps every byte")
        }
        #expect(try BackupStore(directory: directory.file("backups")).list().map(\.checksum) == [image.checksum.description])
    }

    /// The checksum is taken from what the walk read (1 MiB at a time), however the archive's
    /// end falls against those reads: inside one, at its edge, or with the record's padding past it.
    @Test func theChecksumOfAWalkCoversExactlyTheStoredArchive() throws {
        let directory = try TemporaryDirectory("ovf-walk-hash")
        for size in stride(from: (1 << 20) - 12 * 1024, through: (1 << 20) + 2048, by: 512) {
            let writer = try TarWriter(format: .gnu, recordSize: 10240)
            try writer.append(TarEntry(path: "a.ovf"), contents: [UInt8](repeating: 7, count: size))
            let bytes = try writer.finish()
            let path = try directory.write("store-\(size)", bytes + [UInt8](repeating: 0, count: (3 << 20) - bytes.count))
            let image = try OvfStoreImage(volume: try Volume(path: path, forWriting: false))
            #expect(image.count == bytes.count, "\(size)")
            #expect(image.checksum == Checksum(of: bytes), "\(size)")
        }
    }

    /// Pieces bound for an O_DIRECT volume must be whole blocks, whatever the parts' sizes.
    @Test func piecesWrittenToAVolumeAreWholeBlocksButTheLast() throws {
        let parts: [any ByteStream] = [
            ZeroBytes(count: (1 << 20) - 100), [UInt8](repeating: 1, count: 333), ZeroBytes(count: 179),
            [UInt8](repeating: 2, count: 3 << 20), [UInt8](repeating: 3, count: 77),
        ]
        var pieces: [[UInt8]] = []
        try WholeBlocks(base: ConcatenatedBytes(parts: parts)).forEachChunk { pieces.append($0) }
        #expect(pieces.dropLast().allSatisfy { $0.count % 4096 == 0 && $0.count >= (1 << 20) - 4096 })
        var expected: [UInt8] = []
        for part in parts { try part.forEachChunk { expected += $0 } }
        #expect(pieces.reduce([], +) == expected)
    }

    @Test func aSpliceAddsAMemberInItsNeighboursStyleAndRemovesOne() throws {
        let directory = try TemporaryDirectory("ovf-splice-add")
        let writer = try TarWriter(format: .gnu, recordSize: 10240)
        var model = TarEntry(path: "a.ovf")
        model.uid = 36
        model.gid = 36
        model.userName = "vdsm"
        model.groupName = "kvm"
        try writer.append(model, contents: Array("<a/>".utf8))
        var second = model
        second.pathBytes = Array("b.ovf".utf8)
        try writer.append(second, contents: Array("<b/>".utf8))
        let bytes = try writer.finish()
        let path = try directory.write("store", bytes + [UInt8](repeating: 0, count: (1 << 20) - bytes.count))
        let image = try OvfStoreImage(volume: try Volume(path: path, forWriting: false))
        let spliced = try OvfStoreSplice(image: image, modificationTime: 7, added: [("c.ovf", Array("<c/>".utf8))]) { name in
            name == "b.ovf" ? .removed : .kept
        }.archive
        var stream: [UInt8] = []
        try spliced.forEachChunk { stream += $0 }
        #expect(stream.count % 10240 == 0)
        let after = try TarArchive(bytes: stream, limits: OvfStoreArchive.limits)
        #expect(after.members.map(\.entry.path) == ["a.ovf", "c.ovf"])
        let added = after.members[1].entry
        #expect((added.uid, added.gid, added.userName, added.groupName, added.modificationTime) == (36, 36, "vdsm", "kvm", 7))
        #expect(after.members[1].contents == Array("<c/>".utf8))
        // GNU tar reads it too.
        let listed = try Command.run("tar", ["-tvf", "-"], stdin: stream)
        #expect(listed.status == 0 && listed.stdout.contains("vdsm/kvm") && listed.stdout.contains("c.ovf"))
    }

    @Test func aHandEditedOvfIsMadeWhole() throws {
        let base = try OvfDocument(bytes: try Fixtures.bytes("upstream/ovf_test_v4.2.xml"), name: "vm.ovf")
        let text = String(decoding: base.bytes, as: UTF8.self)
        // Only the primary value: the rest follows.
        let edited = text.replacingOccurrences(
            of: "<rasd:num_of_sockets>12</rasd:num_of_sockets>", with: "<rasd:num_of_sockets>8</rasd:num_of_sockets>")
        let whole = base.reconciled(with: Array(edited.utf8), force: false)
        #expect(whole.problems.isEmpty)
        #expect(whole.changes.map(\.key) == [.sockets])
        #expect(whole.bytes == (try base.setting(.sockets, to: "8", force: false))?.bytes)

        // A restating place edited to disagree.
        let disagreeing = edited.replacingOccurrences(of: "&lt;vcpu current=\"12\"&gt;", with: "&lt;vcpu current=\"5\"&gt;")
        let problems = base.reconciled(with: Array(disagreeing.utf8), force: false).problems
        #expect(
            problems == [
                "EngineXml <vcpu current> says '5', which disagrees with the key it restates ('8'); edit the rasd value (or MinAllocatedMem) and leave the rest to this tool"
            ])

        // A rule broken, and something outside the keys.
        #expect(
            base.reconciled(
                with: Array(text.replacingOccurrences(of: "<rasd:num_of_sockets>12<", with: "<rasd:num_of_sockets>99<").utf8), force: false
            )
            .problems.first?.contains("more than max_num_of_vcpus (16)") == true)
        #expect(
            base.reconciled(
                with: Array(text.replacingOccurrences(of: "<Name>HostedEngine</Name>", with: "<Name>X</Name>").utf8), force: false
            )
            .problems.first?.contains("changed outside the values vm keys may change") == true)
        #expect(base.reconciled(with: base.bytes, force: false).isUnchanged)
        #expect(base.reconciled(with: Array("<not an ovf/>".utf8), force: false).problems.count == 1)
    }
}
