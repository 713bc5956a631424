import HostedEngineConfig
import TestSupport
import Testing

@Suite struct OvfStoreLocatorTests {
    func meta(_ description: String) -> String {
        "CAP=134217728\nDESCRIPTION=\(description)\nDISKTYPE=OVFS\nEOF\n"
    }

    @Test func findsTheCopiesByTheirMetaNewestFirst() throws {
        let directory = try TemporaryDirectory("ovf-locate")
        let conf = try directory.write("hosted-engine.conf", "sdUUID=sd\nvmid=vm-1\n")
        try directory.write("root/sd/img-a/vol-a", "")
        try directory.write(
            "root/sd/img-a/vol-a.meta",
            meta(#"{"Updated":true,"Last Updated":"Thu Nov 20 10:00:00 UTC 2026","Disk Description":"OVF_STORE"}"#))
        try directory.write("root/sd/img-b/vol-b", "")
        try directory.write(
            "root/sd/img-b/vol-b.meta", meta(#"{"Last Updated":"Thu Nov 20 12:00:00 CET 2026","Disk Description":"OVF_STORE"}"#))
        try directory.write("root/sd/img-c/vol-c", "")
        try directory.write("root/sd/img-c/vol-c.meta", meta(#"{"Disk Alias":"he_virtio_disk","Disk Description":"Hosted-Engine disk"}"#))
        try directory.write("root/sd/img-d/vol-d.meta", "DESCRIPTION=not json\nEOF\n")
        let locator = OvfStoreLocator(volumeLocator: VolumeLocator(hostedEngineConf: conf, storageRoot: directory.file("root")))
        let found = try locator.locate()
        #expect(found.vmid == "vm-1")
        #expect(found.member == "vm-1.ovf")
        // 12:00 CET is 11:00 UTC: the second copy is the newer, and is read first.
        #expect(found.stores.map(\.path) == [directory.file("root/sd/img-b/vol-b"), directory.file("root/sd/img-a/vol-a")])

        let explicit = OvfStoreLocator(
            stores: [directory.file("root/sd/img-a/vol-a")], volumeLocator: VolumeLocator(hostedEngineConf: conf))
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
}
