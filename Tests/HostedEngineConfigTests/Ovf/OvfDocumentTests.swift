import Foundation
import HostedEngineConfig
import TestSupport
import Testing

@Suite struct OvfDocumentTests {
    static let fixtures = Fixtures.upstreamOVFs

    func document(_ name: String) throws -> OvfDocument {
        try OvfDocument(bytes: try Fixtures.bytes("upstream/\(name)"), name: name)
    }

    @Test func readsEveryKeyOfTheFourUpstreamOVFs() throws {
        let v42 = try document("ovf_test_v4.2.xml")
        #expect(try v42.value(of: .sockets) == "12")
        #expect(try v42.value(of: .coresPerSocket) == "1")
        #expect(try v42.value(of: .threadsPerCore) == "1")
        #expect(try v42.value(of: .minimumMemory) == "16384")
        #expect(try v42.value(of: .memory) == "16384")
        #expect(try v42.value(of: .nic(name: "vnet0", property: .mac)) == "00:16:3e:6a:7a:f9")
        #expect(try v42.value(of: .nic(name: "vnet0", property: .network)) == "ovirtmgmt")
        #expect(try v42.value(of: .nic(name: "vnet0", property: .model)) == "pv")
        #expect(try v42.value(of: .nic(name: "vnet0", property: .linked)) == "true")
        #expect(v42.networks == ["ovirtmgmt"])

        let old = try document("ovf_test.xml")
        #expect(try old.value(of: .sockets) == "1")
        #expect(try old.value(of: .memory) == "4096")
        #expect(try old.value(of: .threadsPerCore) == "1")
        #expect(throws: HostedEngineError.self) { try old.value(of: .nic(name: "nic1", property: .mac)) }
        #expect(old.allValues().count == 5)

        for name in Self.fixtures {
            #expect(try document(name).allValues().count >= 5, "\(name)")
        }
    }
}
