import ArchiveKit
import Foundation
import HostedEngineConfig
import Testing
import TestSupport

@Suite struct OvfStoreTests {
    func meta(_ description: String) -> String {
        "CAP=134217728\nDESCRIPTION=\(description)\nDISKTYPE=OVFS\nEOF\n"
    }

    @Test func findsTheCopiesByTheirMetaNewestFirst() throws {
        let directory = try TemporaryDirectory("ovf-locate")
        let conf = try directory.write("hosted-engine.conf", "sdUUID=sd\nvmid=vm-1\n")
        try directory.write("root/sd/img-a/vol-a", "")
        try directory.write("root/sd/img-a/vol-a.meta", meta(#"{"Updated":true,"Last Updated":"Thu Nov 20 10:00:00 UTC 2026","Disk Description":"OVF_STORE"}"#))
        try directory.write("root/sd/img-b/vol-b", "")
        try directory.write("root/sd/img-b/vol-b.meta", meta(#"{"Last Updated":"Thu Nov 20 12:00:00 CET 2026","Disk Description":"OVF_STORE"}"#))
        try directory.write("root/sd/img-c/vol-c", "")
        try directory.write("root/sd/img-c/vol-c.meta", meta(#"{"Disk Alias":"he_virtio_disk","Disk Description":"Hosted-Engine disk"}"#))
        try directory.write("root/sd/img-d/vol-d.meta", "DESCRIPTION=not json\nEOF\n")
        let locator = OvfStoreLocator(volumeLocator: VolumeLocator(hostedEngineConf: conf, storageRoot: directory.file("root")))
        let found = try locator.locate()
        #expect(found.vmid == "vm-1")
        #expect(found.member == "vm-1.ovf")
        // 12:00 CET is 11:00 UTC: the second copy is the newer, and is read first.
        #expect(found.stores.map(\.path) == [directory.file("root/sd/img-b/vol-b"), directory.file("root/sd/img-a/vol-a")])

        let explicit = OvfStoreLocator(stores: [directory.file("root/sd/img-a/vol-a")], volumeLocator: VolumeLocator(hostedEngineConf: conf))
        #expect(try explicit.locate().stores.map(\.path) == [directory.file("root/sd/img-a/vol-a")])
        let none = OvfStoreLocator(volumeLocator: VolumeLocator(hostedEngineConf: conf, storageRoot: directory.file("empty")))
        #expect(throws: HostedEngineError.self) { try none.locate() }
    }

    @Test func readsJavaDatesAsTheEngineWritesThem() {
        #expect(OvfStoreLocator.parseJavaDate("Thu Nov 20 10:00:00 UTC 2026") == 1_795_168_800)
        #expect(OvfStoreLocator.parseJavaDate("Thu Nov 20 11:00:00 CET 2026") == 1_795_168_800)
        #expect(OvfStoreLocator.parseJavaDate("Sun Feb 11 10:09:49 IST 2018") != nil)
        #expect(OvfStoreLocator.parseJavaDate("yesterday") == nil)
    }

    @Test func replacingAnOvfKeepsTheOtherMembersAndTheRecordSize() throws {
        let writer = try TarWriter(format: .gnu, recordSize: 10240)
        let members: [(String, [UInt8])] = [
            ("info.json", Array(#"{"Last Updated":"x"}"#.utf8)), ("vm-1.ovf", Array(repeating: 65, count: 3000)),
            ("other.ovf", Array(repeating: 66, count: 5000)), ("metadata.json", Array("{}".utf8)),
        ]
        for (name, contents) in members { try writer.append(TarEntry(path: name), contents: contents) }
        let bytes = try writer.finish()
        let archive = try OvfStoreArchive(bytes: bytes + [UInt8](repeating: 0, count: 40960), origin: "store")
        #expect(archive.recordSize == 10240)
        #expect(archive.bytes == bytes)
        let replaced = try archive.replacing(member: "vm-1.ovf", with: Array(repeating: 67, count: 9000), modificationTime: 5)
        #expect(replaced.count % 10240 == 0)
        let reread = try OvfStoreArchive(bytes: replaced, origin: "new")
        #expect(reread.contents(of: "vm-1.ovf") == Array(repeating: 67, count: 9000))
        for (name, contents) in members where name != "vm-1.ovf" {
            #expect(reread.contents(of: name) == contents)
            let before = try #require(archive.tar.members.first { $0.entry.path == name })
            let after = try #require(reread.tar.members.first { $0.entry.path == name })
            #expect(Array(bytes[before.span]) == Array(replaced[after.span]))
        }
    }

    @Test func aHandEditedOvfIsMadeWhole() throws {
        let base = try OvfDocument(bytes: try Fixtures.bytes("upstream/ovf_test_v4.2.xml"), name: "vm.ovf")
        let text = String(decoding: base.bytes, as: UTF8.self)
        // Only the primary value: the rest follows.
        let edited = text.replacingOccurrences(of: "<rasd:num_of_sockets>12</rasd:num_of_sockets>", with: "<rasd:num_of_sockets>8</rasd:num_of_sockets>")
        let whole = base.reconciled(with: Array(edited.utf8), force: false)
        #expect(whole.problems.isEmpty)
        #expect(whole.changes.map(\.key) == [.sockets])
        #expect(whole.bytes == (try base.setting(.sockets, to: "8", force: false))?.bytes)

        // A restating place edited to disagree.
        let disagreeing = edited.replacingOccurrences(of: "&lt;vcpu current=\"12\"&gt;", with: "&lt;vcpu current=\"5\"&gt;")
        let problems = base.reconciled(with: Array(disagreeing.utf8), force: false).problems
        #expect(problems == ["EngineXml <vcpu current> says '5', which disagrees with the key it restates ('8'); edit the rasd value (or MinAllocatedMem) and leave the rest to this tool"])

        // A rule broken, and something outside the keys.
        #expect(base.reconciled(with: Array(text.replacingOccurrences(of: "<rasd:num_of_sockets>12<", with: "<rasd:num_of_sockets>99<").utf8), force: false)
            .problems.first?.contains("more than max_num_of_vcpus (16)") == true)
        #expect(base.reconciled(with: Array(text.replacingOccurrences(of: "<Name>HostedEngine</Name>", with: "<Name>X</Name>").utf8), force: false)
            .problems.first?.contains("changed outside the values vm keys may change") == true)
        #expect(base.reconciled(with: base.bytes, force: false).isUnchanged)
        #expect(base.reconciled(with: Array("<not an ovf/>".utf8), force: false).problems.count == 1)
    }
}
