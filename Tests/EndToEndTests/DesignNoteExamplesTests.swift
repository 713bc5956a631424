import Foundation
import TestSupport
import Testing

/// The usage examples of the design note (`../shared/seed/`), verbatim, for broker keys (the
/// listings gain a line per type the note did not have yet, in its form). The
/// duplicate-key examples need a second type sharing a key; with broker the only type they are
/// covered by the library's resolution tests.
@Suite struct DesignNoteExamplesTests {
    /// With `--type=broker`, as the design note prints it: that type's line only.
    static let brokerKeys = """
        Invalid configuration key missing_key.
        Available keys are:
        broker : ['smtp-port', 'destination-emails', 'smtp-server', 'source-email', 'state_transition']

        """
    /// Without a type: a line per type, in the design note's form.
    static let availableKeys = """
        Invalid configuration key missing_key.
        Available keys are:
        broker : ['smtp-port', 'destination-emails', 'smtp-server', 'source-email', 'state_transition']
        vm : ['num_of_sockets', 'cpu_per_socket', 'threads_per_cpu', 'min_allocated_mem', 'mem_size', 'nic.NAME.mac', 'nic.NAME.network', 'nic.NAME.model', 'nic.NAME.linked']
        he_shared : ['network_test', 'tcp_t_address', 'tcp_t_port', 'gateway', 'storage', 'mnt_options', 'nfs_version', 'iqn', 'portal', 'port', 'user', 'password', 'iscsi_paths_blacklist', 'fqdn', 'vm_disk_id', 'vm_disk_vol_id', 'vmid', 'conf', 'host_id', 'console', 'domainType', 'spUUID', 'sdUUID', 'connectionUUID', 'ca_cert', 'ca_subject', 'vdsm_use_ssl', 'bridge', 'metadata_volume_UUID', 'metadata_image_UUID', 'lockspace_volume_UUID', 'lockspace_image_UUID', 'conf_volume_UUID', 'conf_image_UUID']
        he_local : ['network_test', 'tcp_t_address', 'tcp_t_port', 'gateway', 'storage', 'mnt_options', 'nfs_version', 'iqn', 'portal', 'port', 'user', 'password', 'iscsi_paths_blacklist', 'fqdn', 'vm_disk_id', 'vm_disk_vol_id', 'vmid', 'conf', 'host_id', 'console', 'domainType', 'spUUID', 'sdUUID', 'connectionUUID', 'ca_cert', 'ca_subject', 'vdsm_use_ssl', 'bridge', 'metadata_volume_UUID', 'metadata_image_UUID', 'lockspace_volume_UUID', 'lockspace_image_UUID', 'conf_volume_UUID', 'conf_image_UUID']
        ha : ['local_maintenance', 'local_maintenance_manual']

        """

    /// What get-all prints for hosted-engine.conf: the same file on the storage and on this host.
    static let hostedEngineConfValues = [
        "gateway: 192.0.2.1",
        "storage: nfs.example.com:/exports/hosted_engine",
        "mnt_options: ",
        "iqn: ",
        "portal: 1",
        "port: ",
        "user: ",
        "password: (secret)",
        "fqdn: engine.example.com",
        "vm_disk_id: f270b541-a113-4815-b72e-b0ec3e1ed6b6",
        "vm_disk_vol_id: 19cc3c17-5c81-4750-b807-09db88a67ad5",
        "vmid: 82a24281-8a25-4772-b9c9-45971e811cb3",
        "conf: /var/run/ovirt-hosted-engine-ha/vm.conf",
        "host_id: 1",
        "console: vnc",
        "domainType: nfs",
        "spUUID: 00000000-0000-0000-0000-000000000000",
        "sdUUID: 2164faa8-b18b-4036-b686-5a6eec95081b",
        "connectionUUID: e29cf818-5ee5-46e1-85c1-8aeefa33e95d",
        "ca_cert: /etc/pki/vdsm/libvirt-spice/ca-cert.pem",
        "ca_subject: \"C=EN, L=Test, O=Test, CN=Test\"",
        "vdsm_use_ssl: true",
        "bridge: ovirtmgmt",
        "metadata_volume_UUID: 8e2f1b7a-3c4d-4e5f-9a0b-1c2d3e4f5a6b",
        "metadata_image_UUID: 5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
        "lockspace_volume_UUID: 9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
        "lockspace_image_UUID: 1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
        "conf_volume_UUID: 3a1f5c2e-8b7d-4e6f-a9c0-1d2e3f4a5b6c",
        "conf_image_UUID: e6bc4a37-0d8f-4e8e-9d77-6f4b8d0d6d3c",
    ].joined(separator: "\n")

    /// Each broker key with two valid values.
    static let keyValues: [(String, String, String)] = [
        ("smtp-server", "mail.example.com", "192.0.2.25"),
        ("smtp-port", "2525", "587"),
        ("source-email", "hosted-engine@example.com", "root@localhost"),
        ("destination-emails", "admin@example.com,ops@example.com", "oncall@example.com"),
        ("state_transition", "maintenance|start|stop|migrate|up|down", "up|down"),
    ]

    @Test(arguments: keyValues)
    func setAndGetWithAndWithoutType(key: String, first: String, second: String) throws {
        let directory = try TemporaryDirectory("note-\(key)")
        let storage = try UpstreamStorage.makeStorage(in: directory)
        let host = Tool.environment(for: storage)

        // hosted-engine --set-shared-config key value: sets the value, returns nothing
        let set = try Tool.run(["--set-shared-config", key, first], environment: host)
        #expect(set.status == 0 && set.stdout.isEmpty, "\(set)")
        // When it takes effect, then where the archive it replaced was saved.
        #expect(set.stderr.hasPrefix("The HA broker on every host reads broker.conf from the shared storage for each notification"))
        #expect(set.stderr.contains("\nSaved the replaced archive as \(storage.backups)/he-conf-"))
        // hosted-engine --get-shared-config key: returns key : value, type
        let get = try Tool.run(["--get-shared-config", key], environment: host)
        #expect(get.status == 0)
        #expect(get.stdout == "\(key) : \(first), type : broker\n")

        // hosted-engine --set-shared-config key value --type broker: sets the value, returns nothing
        let typedSet = try Tool.run(["--set-shared-config", key, second, "--type", "broker"], environment: host)
        #expect(typedSet.status == 0 && typedSet.stdout.isEmpty, "\(typedSet)")
        // hosted-engine --get-shared-config key --type broker
        let typedGet = try Tool.run(["--get-shared-config", key, "--type", "broker"], environment: host)
        #expect(typedGet.status == 0)
        #expect(typedGet.stdout == "\(key) : \(second), type : broker\n")
    }

    @Test func missingKeys() throws {
        let directory = try TemporaryDirectory("note-missing")
        let storage = try UpstreamStorage.makeStorage(in: directory)
        for (arguments, expected) in [
            (["--set-shared-config", "missing_key", "--type=broker"], Self.brokerKeys),
            (["--set-shared-config", "missing_key"], Self.availableKeys),
        ] {
            let result = try Tool.run(arguments, environment: Tool.environment(for: storage))
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == expected)
        }
    }

    @Test func missingType() throws {
        let directory = try TemporaryDirectory("note-type")
        let storage = try UpstreamStorage.makeStorage(in: directory)
        let result = try Tool.run(["--get-shared-config", "key", "--type=missing_type"], environment: Tool.environment(for: storage))
        #expect(result.status == 1)
        #expect(result.stderr == "Invalid configuration type missing_type, supported types are: broker, vm, he_shared, he_local, ha\n")
    }

    @Test func getAllConfig() throws {
        let directory = try TemporaryDirectory("note-all")
        let storage = try UpstreamStorage.makeStorage(in: directory)
        let result = try Tool.run(["--get-all-config"], environment: Tool.environment(for: storage))
        #expect(result.status == 0)
        #expect(
            result.stdout == """
                type: broker
                smtp-port: 25
                destination-emails: root@localhost
                smtp-server: localhost
                source-email: root@localhost
                state_transition: maintenance|start|stop|up|down
                type: vm
                num_of_sockets: 12
                cpu_per_socket: 1
                threads_per_cpu: 1
                min_allocated_mem: 16384
                mem_size: 16384
                nic.vnet0.mac: 00:16:3e:6a:7a:f9
                nic.vnet0.network: ovirtmgmt
                nic.vnet0.model: pv
                nic.vnet0.linked: true
                type: he_shared
                \(Self.hostedEngineConfValues)
                type: he_local
                \(Self.hostedEngineConfValues)
                type: ha
                local_maintenance: False
                local_maintenance_manual: False

                """)
        let json = try Tool.run(["--get-all-config", "--json", "--type", "broker"], environment: Tool.environment(for: storage))
        #expect(
            json.stdout
                == #"{"broker":{"smtp-port":"25","destination-emails":"root@localhost","smtp-server":"localhost","source-email":"root@localhost","state_transition":"maintenance|start|stop|up|down"}}"#
                + "\n")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: [String: String]]
        #expect(parsed?["broker"]?["smtp-server"] == "localhost")
    }
}
