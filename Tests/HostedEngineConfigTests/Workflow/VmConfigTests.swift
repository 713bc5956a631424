import ArchiveKit
import HostedEngineConfig
import TestSupport
import Testing

@Suite struct VmConfigTests {
    /// Three OVF_STORE copies, read in the order a, b, c: a and c hold the engine VM's OVF, b
    /// does not (it is left as it is).
    func copies(in directory: TemporaryDirectory) throws -> (conf: String, stores: [String]) {
        let conf = try directory.write("hosted-engine.conf", "sdUUID=sd\nvmid=vm-1\n")
        let ovf = try Fixtures.bytes("upstream/ovf_test_v4.2.xml")
        var stores: [String] = []
        for (name, members) in [("a", ["vm-1.ovf"]), ("b", ["other.ovf"]), ("c", ["vm-1.ovf"])] {
            let writer = try TarWriter(format: .gnu, recordSize: 10240)
            try writer.append(TarEntry(path: "info.json"), contents: Array("{}".utf8))
            for member in members { try writer.append(TarEntry(path: member), contents: ovf) }
            let bytes = try writer.finish()
            stores.append(try directory.write(name, bytes + [UInt8](repeating: 0, count: (1 << 20) - bytes.count)))
        }
        return (conf, stores)
    }

    @Test func aFailureAfterASkippedCopyNamesOnlyTheCopiesWritten() throws {
        let directory = try TemporaryDirectory("vm-skipped-copy")
        let (conf, stores) = try copies(in: directory)
        let holder = try Volume(path: stores[2], forWriting: true)
        try holder.lockExclusively(timeout: 0)
        defer { holder.unlock() }
        let locator = VolumeLocator(hostedEngineConf: conf, ovfStores: stores)
        var options = directory.options(lockTimeout: 0)
        options.force = true
        let error = #expect(throws: HostedEngineError.self) {
            try VmConfig().set(key: .memory, value: "32768", locator: locator, options: options)
        }
        #expect(error == .partlyWritten(written: [stores[0]], failed: stores[2], .locked(path: stores[2], waitedSeconds: 0)))
        #expect(try VmConfig().get(key: .memory, locator: VolumeLocator(hostedEngineConf: conf, ovfStores: [stores[0]])) == "32768")
        #expect(try VmConfig().get(key: .memory, locator: VolumeLocator(hostedEngineConf: conf, ovfStores: [stores[2]])) != "32768")
    }
}
