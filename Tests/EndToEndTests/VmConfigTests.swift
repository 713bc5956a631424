import ArchiveKit
import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// The `vm` type through the binary, over the four upstream OVFs, each inside two OVF_STORE
/// copies laid out as the engine writes them (scripts/make-demo-storage).
@Suite struct VmConfigTests {
    static let vmid = "82a24281-8a25-4772-b9c9-45971e811cb3"
    /// make-demo-storage's copies: the older first.
    static let copies = [
        "1d4e6c2a-5b3f-4c8d-9e0a-7f6b5c4d3e2a/a7c3e1f0-2b4d-4e6f-8a9b-0c1d2e3f4a5b",
        "2e5f7d3b-6c4a-4d9e-8f1b-8a7c6d5e4f3b/b8d4f2a1-3c5e-4f7a-9b0c-1d2e3f4a5b6c",
    ]

    struct Setup {
        let directory: TemporaryDirectory
        let storage: UpstreamStorage.Storage
        var host: [String: String?] { Tool.environment(for: storage) }

        init(_ label: String, ovf: String = "ovf_test_v4.2.xml") throws {
            directory = try TemporaryDirectory(label)
            storage = try UpstreamStorage.makeStorage(
                in: directory, arguments: ["--size", "4M", "--ovf", Fixtures.path("upstream/\(ovf)")])
        }

        var stores: [String] {
            VmConfigTests.copies.map { storage.storageRoot + "/2164faa8-b18b-4036-b686-5a6eec95081b/" + $0 }
        }

        /// An OVF_STORE's archive as stored: through its last record.
        func archive(_ store: String) throws -> (bytes: [UInt8], tar: TarArchive) {
            let head = try Files.readPrefix(store, count: 1 << 20)
            let tar = try TarArchive(bytes: head, limits: .init(maximumMembers: 100, maximumMemberSize: 1 << 20))
            let end = (tar.endOfArchiveOffset + 1024 + 10239) / 10240 * 10240
            return (Array(head.prefix(end)), tar)
        }

        func ovf(_ store: String) throws -> [UInt8] {
            try #require(try archive(store).tar.members.first { $0.entry.path == "\(VmConfigTests.vmid).ovf" }).contents
        }

        /// The engine VM's OVF in an OVF_STORE's archive bytes.
        static func ovfOf(_ archive: [UInt8]) throws -> [UInt8] {
            let tar = try TarArchive(bytes: archive, limits: .init(maximumMembers: 100, maximumMemberSize: 1 << 20))
            return try #require(tar.members.first { $0.entry.path == "\(VmConfigTests.vmid).ovf" }).contents
        }

        func run(_ arguments: [String]) throws -> CommandResult {
            try Tool.run(arguments, environment: host)
        }
    }

    static let values: [(VmKey, String)] = [
        (.sockets, "2"), (.coresPerSocket, "2"), (.threadsPerCore, "1"), (.minimumMemory, "2048"), (.memory, "8192"),
        (.nic(name: "vnet0", property: .mac), "00:16:3e:aa:bb:cc"), (.nic(name: "vnet0", property: .network), "ovirtmgmt"),
        (.nic(name: "vnet0", property: .model), "e1000"), (.nic(name: "vnet0", property: .linked), "false"),
    ]

    @Test(arguments: Fixtures.upstreamOVFs)
    func everyKeyIsReadAndSetOnBothCopies(fixture: String) throws {
        let setup = try Setup("vm-\(fixture)", ovf: fixture)
        for (key, value) in Self.values {
            let before = try setup.ovf(setup.stores[1])
            let document = try OvfDocument(bytes: before, name: "\(Self.vmid).ovf")
            guard let current = try? document.value(of: key) else {
                // The 4.1 OVFs name both NICs nic1: their NIC keys are refused, in one line.
                let refused = try setup.run(["--get-shared-config", key.description, "--type", "vm"])
                #expect(refused.status == 1, "\(fixture) \(key)")
                continue
            }
            let get = try setup.run(["--get-shared-config", key.description, "--type", "vm"])
            #expect(get.stdout == "\(key) : \(current), type : vm\n", "\(fixture)")
            guard let expected = try? document.setting(key, to: value, force: true) else { continue }
            let otherMembers = try setup.stores.map { store in
                try setup.archive(store).tar.members.filter { !$0.entry.path.hasSuffix("\(Self.vmid).ovf") }
            }
            let oldLength = try setup.archive(setup.stores[0]).bytes.count

            let set = try setup.run(["--set-shared-config", key.description, value, "--type", "vm", "--force"])
            #expect(set.status == 0, "\(fixture) \(key): \(set)")
            #expect(try setup.run(["--get-shared-config", key.description, "--type=vm"]).stdout == "\(key) : \(value), type : vm\n")
            for (index, store) in setup.stores.enumerated() {
                // Byte for byte what the library's minimal edit gives; the other members keep theirs.
                #expect(try setup.ovf(store) == expected.bytes, "\(fixture) \(key) in \(store)")
                let after = try setup.archive(store)
                for member in otherMembers[index] {
                    let now = try #require(after.tar.members.first { $0.entry.path == member.entry.path })
                    #expect(now.contents == member.contents)
                }
                #expect(after.bytes.count % 10240 == 0 && after.bytes.count >= oldLength - 10240, "record size kept")
            }
        }
    }

    @Test func getAllReadsTheNewestCopy() throws {
        let setup = try Setup("vm-newest")
        // Make the older copy say something else: the newer one is what is read.
        let older = setup.stores[0]
        let document = try OvfDocument(bytes: try setup.ovf(older), name: "x.ovf")
        let changed = try #require(try document.setting(.memory, to: "20480", force: false))
        let archive = try setup.archive(older)
        let replaced = try archive.tar.replacingContents(
            ofMemberAt: archive.tar.members.firstIndex { $0.entry.path.hasSuffix("\(Self.vmid).ovf") }!, with: changed.bytes,
            modificationTime: 0)
        try Files.overwrite(older, with: replaced + [UInt8](repeating: 0, count: 20480))
        let all = try setup.run(["--get-all-config", "--type", "vm", "--json", "--verbose"])
        let values = (try JSONSerialization.jsonObject(with: Data(all.stdoutBytes)) as? [String: [String: String]])?["vm"]
        #expect(values?["mem_size"] == "16384")
        #expect(all.stderr.contains("b8d4f2a1-3c5e-4f7a-9b0c-1d2e3f4a5b6c (Last Updated Thu Nov 20 10:05:00 UTC 2026; read)"))
        // A set writes both, from the newest, and says when it applies and that the engine
        // undoes a change made only here; a unit says the size (32G is 32768 MiB).
        let set = try setup.run(["--set-shared-config", "mem_size", "32G", "--type", "vm", "--force"])
        #expect(set.status == 0, "\(set)")
        #expect(set.stderr.contains("The HA agents read the engine VM's OVF when they next start it"), "\(set)")
        #expect(set.stderr.contains("so it will put the old value back unless the change is made in the engine too"), "\(set)")
        #expect(set.stderr.contains("OVF memory rasd:VirtualQuantity: 16384 -> 32768"), "\(set)")
        for store in setup.stores {
            #expect(try OvfDocument(bytes: try setup.ovf(store), name: "x.ovf").value(of: .memory) == "32768")
        }
        let backups = try setup.run(["--list-backups", "--json"])
        let kinds = (try JSONSerialization.jsonObject(with: Data(backups.stdoutBytes)) as? [[String: Any]])?.compactMap {
            $0["kind"] as? String
        }
        #expect(kinds == ["ovf-store", "ovf-store"])
    }

    @Test func aTerminalConfirmsAndNothingElseDoes() throws {
        let setup = try Setup("vm-confirm")
        let before = try setup.stores.map { try Files.readPrefix($0, count: 65536) }
        let environment = setup.host.compactMapValues { $0 }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let command = "env \(environment) '\(Tool.path)' --set-shared-config num_of_sockets 4 --type vm"

        // No terminal, no --force: refused.
        let plain = try setup.run(["--set-shared-config", "num_of_sockets", "4", "--type", "vm"])
        #expect(plain.status == 1)
        #expect(
            plain.stderr.hasSuffix(
                "Setting num_of_sockets rewrites what the HA agents start the engine VM from; run this on a terminal to see the change and confirm it, or pass --force.\n"
            ))

        // A pseudo-terminal answering no (and the default, an empty answer).
        for answer in ["n", ""] {
            let declined = try Command.run("script", ["-qec", command, "/dev/null"], stdin: Array("\(answer)\n".utf8))
            #expect(declined.status == 1, "\(declined)")
            #expect(declined.stdout.contains("  OVF rasd:num_of_sockets: 12 -> 4"))
            #expect(declined.stdout.contains("  EngineXml <vcpu current>: 12 -> 4"))
            #expect(declined.stdout.contains("Write this change? [y/N] "))
            #expect(declined.stdout.contains("Not confirmed; nothing was written."))
        }
        #expect(try setup.stores.map { try Files.readPrefix($0, count: 65536) } == before)

        let accepted = try Command.run("script", ["-qec", command, "/dev/null"], stdin: Array("y\n".utf8))
        #expect(accepted.status == 0, "\(accepted)")
        #expect(try setup.run(["--get-shared-config", "num_of_sockets", "--type", "vm"]).stdout == "num_of_sockets : 4, type : vm\n")
    }

    @Test func rulesAreRefusedWithTheirReasons() throws {
        let setup = try Setup("vm-rules")
        let before = try setup.stores.map { try Files.readPrefix($0, count: 65536) }
        for (key, value, message) in [
            (
                "mem_size", "1024",
                "Invalid value '1024' for mem_size: mem_size is in MiB and must be at least min_allocated_mem (16384 MiB); to lower both, set min_allocated_mem first, then mem_size."
            ),
            (
                "num_of_sockets", "32",
                "Invalid value '32' for num_of_sockets: sockets × cores × threads would be 32, more than max_num_of_vcpus (16)."
            ),
            (
                "nic.vnet0.mac", "not-a-mac",
                "Invalid value 'not-a-mac' for nic.vnet0.mac: expected a MAC address as six hex pairs, like 00:16:3e:6a:7a:f9."
            ),
            (
                "nic.vnet0.network", "storage",
                "Invalid value 'storage' for nic.vnet0.network: the OVF's NetworkSection does not list that network (it lists ovirtmgmt); pass --force if it exists."
            ),
            (
                "nic.vnet0.model", "vmxnet3",
                "Invalid value 'vmxnet3' for nic.vnet0.model: expected one of oVirt's NIC models: rtl8139, e1000, pv, spapr-vlan, e1000e (virtio is pv)."
            ),
        ] {
            let result = try setup.run(
                ["--set-shared-config", key, value, "--type", "vm", "--force"].filter { !(key == "nic.vnet0.network" && $0 == "--force") })
            #expect(result.status == 1, "\(key)")
            #expect(result.stderr.hasSuffix(message + "\n"), "\(key): \(result.stderr)")
        }
        #expect(try setup.stores.map { try Files.readPrefix($0, count: 65536) } == before)
        // --force accepts a network the OVF does not list.
        #expect(try setup.run(["--set-shared-config", "nic.vnet0.network", "storage", "--type", "vm", "--force"]).status == 0)
        let missing = try setup.run(["--get-shared-config", "nic.eth7.mac", "--type", "vm"])
        #expect(missing.stderr.hasSuffix("Invalid value 'eth7' for nic.eth7: the OVF's NICs are named vnet0.\n"))
    }

    @Test func checkoutEditValidatePushTheOvf() throws {
        let setup = try Setup("vm-checkout")
        let work = setup.directory.file("work")
        let checkout = try setup.run(["--checkout-config", work, "--type", "vm"])
        #expect(checkout.status == 0, "\(checkout)")
        let ovfPath = work + "/\(Self.vmid).ovf"
        // Edit only the memory item's rasd:VirtualQuantity; the tool writes every place that restates it.
        let text = try String(contentsOfFile: ovfPath, encoding: .utf8)
        let edited = text.replacingOccurrences(
            of: "<rasd:AllocationUnits>MegaBytes</rasd:AllocationUnits><rasd:VirtualQuantity>16384</rasd:VirtualQuantity>",
            with: "<rasd:AllocationUnits>MegaBytes</rasd:AllocationUnits><rasd:VirtualQuantity>24576</rasd:VirtualQuantity>")
        #expect(edited != text)
        try edited.write(toFile: ovfPath, atomically: false, encoding: .utf8)
        #expect(try setup.run(["--validate-config", work]).status == 0)
        #expect(try setup.run(["--config-diff", work]).status == 1)

        // A change outside the vm keys is a problem.
        try edited.replacingOccurrences(of: "<Name>HostedEngine</Name>", with: "<Name>Renamed</Name>").write(
            toFile: ovfPath, atomically: false, encoding: .utf8)
        let invalid = try setup.run(["--validate-config", work])
        #expect(invalid.status == 1)
        #expect(invalid.stdout.contains("changed outside the values vm keys may change"))
        try edited.write(toFile: ovfPath, atomically: false, encoding: .utf8)

        let push = try setup.run(["--push-config", work, "--force"])
        #expect(push.status == 0, "\(push)")
        #expect(push.stdout.contains("vm mem_size: '16384' -> '24576'"))
        for store in setup.stores {
            let document = try OvfDocument(bytes: try setup.ovf(store), name: "x.ovf")
            #expect(try document.value(of: .memory) == "24576")
            #expect(
                String(decoding: try setup.ovf(store), as: UTF8.self).contains("&lt;memory&gt;25165824&lt;/memory&gt;"),
                "the embedded XML follows")
        }
        #expect(try setup.run(["--config-diff", work]).status == 0)
    }

    @Test func editSharedConfigOnTheOvf() throws {
        let setup = try Setup("vm-edit")
        var host = setup.host
        host["TMPDIR"] = setup.directory.path
        let script = try setup.directory.write(
            "editor.sh",
            """
            #!/bin/sh
            sed -i 's|<rasd:num_of_sockets>12</rasd:num_of_sockets>|<rasd:num_of_sockets>6</rasd:num_of_sockets>|' "$1"
            """)
        chmod(script, 0o755)
        host["EDITOR"] = script
        let result = try Tool.run(["--edit-shared-config", "--type", "vm", "--force"], environment: host)
        #expect(result.status == 0, "\(result)")
        #expect(try setup.run(["--get-shared-config", "num_of_sockets", "--type", "vm"]).stdout == "num_of_sockets : 6, type : vm\n")
        #expect(String(decoding: try setup.ovf(setup.stores[0]), as: UTF8.self).contains("&lt;vcpu current=\"6\"&gt;16&lt;/vcpu&gt;"))
    }
}
