import Foundation
import HostedEngineConfig
import TestSupport
import Testing

@Suite struct OvfEditingTests {
    func document(_ name: String) throws -> OvfDocument {
        try OvfDocument(bytes: try Fixtures.bytes("upstream/\(name)"), name: name)
    }

    /// Outside the edited values, old and new OVF are the same bytes.
    func expectOnlyEdits(_ old: OvfDocument, _ change: OvfChange, sourceLocation: SourceLocation = #_sourceLocation) {
        var oldRest: [UInt8] = []
        var newRest: [UInt8] = []
        var position = 0
        var shift = 0
        for edit in change.edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            #expect(
                Array(old.bytes[edit.range]) == Array(edit.old.utf8), "\(edit.place) did not hold the old value",
                sourceLocation: sourceLocation)
            oldRest += old.bytes[position..<edit.range.lowerBound]
            let newStart = edit.range.lowerBound + shift
            #expect(
                Array(change.bytes[newStart..<(newStart + edit.new.utf8.count)]) == Array(edit.new.utf8), sourceLocation: sourceLocation)
            newRest += change.bytes[(position + shift)..<newStart]
            shift += edit.new.utf8.count - edit.range.count
            position = edit.range.upperBound
        }
        oldRest += old.bytes[position...]
        newRest += change.bytes[(position + shift)...]
        #expect(oldRest == newRest, "bytes other than the edits changed", sourceLocation: sourceLocation)
    }

    func set(_ name: String, _ key: VmKey, _ value: String, force: Bool = false) throws -> (OvfDocument, OvfChange, OvfDocument) {
        let old = try document(name)
        let change = try #require(try old.setting(key, to: value, force: force))
        expectOnlyEdits(old, change)
        let new = try OvfDocument(bytes: change.bytes, name: name)
        #expect(try new.value(of: key) == value, "\(key) reads back")
        return (old, change, new)
    }

    @Test func cpuTopologyChangesEveryPlaceThatStatesIt() throws {
        let (_, change, _) = try set("ovf_test_v4.2.xml", .sockets, "4")
        let places = Dictionary(uniqueKeysWithValues: change.edits.map { ($0.place, $0.new) })
        #expect(
            places == [
                "OVF rasd:num_of_sockets": "4", "OVF CPU rasd:VirtualQuantity": "4", "OVF CPU rasd:Caption": "4 virtual cpu",
                "OVF VirtualHardwareSection Info": "4 CPU, 16384 Memory", "EngineXml <vcpu current>": "4",
                "EngineXml <numa cell cpus>": "0,1,2,3",
            ])
        // One socket of 4 cores, at most 16 vCPUs in the embedded XML.
        let (_, cores, _) = try set("ovf_test_v4.2_unsafe.xml", .coresPerSocket, "2")
        #expect(
            Dictionary(uniqueKeysWithValues: cores.edits.map { ($0.place, $0.new) }) == [
                "OVF rasd:cpu_per_socket": "2", "OVF CPU rasd:VirtualQuantity": "2", "OVF CPU rasd:Caption": "2 virtual cpu",
                "OVF VirtualHardwareSection Info": "2 CPU, 4096 Memory", "EngineXml <topology sockets>": "8",
                "EngineXml <topology cores>": "2",
            ])
    }

    @Test func memoryChangesEveryPlaceThatStatesIt() throws {
        let (_, change, _) = try set("ovf_test_v4.2.xml", .memory, "32768")
        let places = Dictionary(uniqueKeysWithValues: change.edits.map { ($0.place, $0.new) })
        #expect(
            places == [
                "OVF memory rasd:VirtualQuantity": "32768", "OVF memory rasd:Caption": "32768 MB of memory",
                "OVF VirtualHardwareSection Info": "12 CPU, 32768 Memory", "EngineXml <memory> (KiB)": "33554432",
                "EngineXml <currentMemory> (KiB)": "33554432", "EngineXml <numa cell memory> (KiB)": "33554432",
            ])
        let (_, minimum, _) = try set("ovf_test_v4.2.xml", .minimumMemory, "8192")
        #expect(Set(minimum.edits.map(\.place)) == ["OVF MinAllocatedMem", "EngineXml <minGuaranteedMemoryMb>"])
        // 4.1 OVFs have no embedded XML; their caption keeps its typo.
        let (_, old, _) = try set("ovf_test.xml", .memory, "8192")
        #expect(old.edits.first { $0.place == "OVF VirtualHardwareSection Info" }?.new == "1 CPU, 8192 Memeory")
    }

    @Test func aNewMACLeavesTheOldOneNowhere() throws {
        let (old, change, _) = try set("ovf_test_v4.2.xml", .nic(name: "vnet0", property: .mac), "00:16:3e:11:22:33")
        #expect(String(decoding: old.bytes, as: UTF8.self).contains("00:16:3e:6a:7a:f9"))
        #expect(!String(decoding: change.bytes, as: UTF8.self).contains("00:16:3e:6a:7a:f9"))
        #expect(
            Set(change.edits.map(\.place)) == [
                "OVF rasd:MACAddress", "EngineXml <interface mac address>", "EngineXml <ovirt-vm:device mac_address>",
            ])
    }

    @Test func aNewMACBringsAnOVFAndItsEmbeddedXMLBackInStep() throws {
        // The "unsafe" OVF's NIC and embedded interface disagree on the MAC address.
        let (old, change, _) = try set("ovf_test_v4.2_unsafe.xml", .nic(name: "vnet0", property: .mac), "00:16:3e:11:22:33")
        let before = String(decoding: old.bytes, as: UTF8.self)
        let after = String(decoding: change.bytes, as: UTF8.self)
        #expect(before.contains("00:16:3e:62:28:65") && before.contains("00:1a:4a:16:01:01"))
        #expect(!after.contains("00:16:3e:62:28:65") && !after.contains("00:1a:4a:16:01:01"))
    }

    @Test func nicNetworkModelAndLink() throws {
        let (_, network, _) = try set("ovf_test_v4.2.xml", .nic(name: "vnet0", property: .network), "storage", force: true)
        #expect(
            Dictionary(uniqueKeysWithValues: network.edits.map { ($0.place, $0.new) }) == [
                "OVF rasd:Connection": "storage", "OVF rasd:OtherResourceType": "storage",
                "OVF NIC rasd:Caption": "Ethernet adapter on storage", "EngineXml <interface source bridge>": "storage",
            ])
        let (_, model, _) = try set("ovf_test_v4.2.xml", .nic(name: "vnet0", property: .model), "e1000")
        #expect(
            Dictionary(uniqueKeysWithValues: model.edits.map { ($0.place, $0.new) }) == [
                "OVF rasd:ResourceSubType": "2", "EngineXml <interface model type>": "e1000",
            ])
        let (_, link, _) = try set("ovf_test_v4.2.xml", .nic(name: "vnet0", property: .linked), "false")
        #expect(
            Dictionary(uniqueKeysWithValues: link.edits.map { ($0.place, $0.new) }) == [
                "OVF rasd:Linked": "false", "EngineXml <interface link state>": "down",
            ])
        #expect(try document("ovf_test_v4.2.xml").setting(.nic(name: "vnet0", property: .model), to: "virtio", force: false) == nil)
    }

    @Test func everyRuleIsRefusedWithItsReason() throws {
        let v42 = try document("ovf_test_v4.2.xml")
        let cases: [(VmKey, String, String)] = [
            (
                .memory, "8192",
                "mem_size is in MiB and must be at least min_allocated_mem (16384 MiB); to lower both, set min_allocated_mem first, then mem_size"
            ),
            (.memory, "131072", "mem_size is in MiB and must be at most MaxMemorySizeMb (65536 MiB)"),
            (
                .minimumMemory, "20000",
                "min_allocated_mem is in MiB and must be at most mem_size (16384 MiB); to raise both, set mem_size first, then min_allocated_mem"
            ),
            (.sockets, "17", "sockets × cores × threads would be 17, more than max_num_of_vcpus (16)"),
            (.coresPerSocket, "3", "sockets × cores × threads would be 36, more than max_num_of_vcpus (16)"),
            (.sockets, "0", "expected a positive whole number"),
            (.sockets, "-2", "expected a positive whole number"),
            (.memory, "lots", "expected a size in MiB (16384), or with a unit: 16384M, 16G, 1T"),
            (.memory, "0G", "expected a size in MiB (16384), or with a unit: 16384M, 16G, 1T"),
            (.memory, "24X", "expected a size in MiB (16384), or with a unit: 16384M, 16G, 1T"),
            (.memory, "G", "expected a size in MiB (16384), or with a unit: 16384M, 16G, 1T"),
            (.nic(name: "vnet0", property: .mac), "00:16:3e:6a:7a", "expected a MAC address as six hex pairs, like 00:16:3e:6a:7a:f9"),
            (.nic(name: "vnet0", property: .mac), "00:16:3e:6a:7a:zz", "expected a MAC address as six hex pairs, like 00:16:3e:6a:7a:f9"),
            (
                .nic(name: "vnet0", property: .model), "vmxnet3",
                "expected one of oVirt's NIC models: rtl8139, e1000, pv, spapr-vlan, e1000e (virtio is pv)"
            ),
            (.nic(name: "vnet0", property: .linked), "maybe", "expected true or false"),
            (
                .nic(name: "vnet0", property: .network), "storage",
                "the OVF's NetworkSection does not list that network (it lists ovirtmgmt); pass --force if it exists"
            ),
        ]
        // Memory takes a unit; what it means in MiB is what the OVF gets.
        for given in ["20480", "20480M", "20480MiB", "20G", "20GiB", "20gb"] {
            let change = try #require(try v42.setting(.memory, to: given, force: false), "\(given)")
            #expect(change.edits.contains { $0.place == "OVF memory rasd:VirtualQuantity" && $0.new == "20480" }, "\(given)")
        }
        for (key, value, rule) in cases {
            #expect(throws: HostedEngineError.invalidValue(key: key.description, value: value, rule: rule), "\(key) = \(value)") {
                try v42.setting(key, to: value, force: false)
            }
        }
        #expect(throws: HostedEngineError.self) {
            try v42.setting(.nic(name: "eth9", property: .mac), to: "00:16:3e:11:22:33", force: false)
        }
        let old = try document("ovf_test.xml")
        #expect(
            throws: HostedEngineError.invalidValue(
                key: "threads_per_cpu", value: "2",
                rule: "this OVF has no rasd:threads_per_cpu (one thread per core); change it in the engine")
        ) { try old.setting(.threadsPerCore, to: "2", force: false) }
        let ambiguous = #expect(throws: HostedEngineError.self) {
            try old.setting(.nic(name: "nic1", property: .linked), to: "false", force: false)
        }
        #expect(ambiguous?.description.contains("2 NICs are named nic1") == true)
    }

    @Test(arguments: OvfDocumentTests.fixtures)
    func everyFixtureTakesEveryFixedKey(name: String) throws {
        for (key, value) in [(VmKey.sockets, "1"), (.coresPerSocket, "1"), (.memory, "16384"), (.minimumMemory, "1024")] {
            let old = try document(name)
            guard let change = try old.setting(key, to: value, force: false) else { continue }
            expectOnlyEdits(old, change)
            #expect(try OvfDocument(bytes: change.bytes, name: name).value(of: key) == value)
        }
    }
}
