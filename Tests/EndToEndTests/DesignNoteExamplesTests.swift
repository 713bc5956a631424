import Foundation
import TestSupport
import Testing

/// The usage examples of the design note (`../shared/seed/`), verbatim, for broker keys. The
/// duplicate-key examples need a second type sharing a key; with broker the only type they are
/// covered by the library's resolution tests.
@Suite struct DesignNoteExamplesTests {
    static let availableKeys = """
        Invalid configuration key missing_key.
        Available keys are:
        broker : ['smtp-port', 'destination-emails', 'smtp-server', 'source-email', 'state_transition']
        vm : ['num_of_sockets', 'cpu_per_socket', 'threads_per_cpu', 'min_allocated_mem', 'mem_size', 'nic.NAME.mac', 'nic.NAME.network', 'nic.NAME.model', 'nic.NAME.linked']

        """

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
        #expect(set.stderr.hasPrefix("Saved the replaced archive as \(storage.backups)/he-conf-"))
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
        for arguments in [["--set-shared-config", "missing_key", "--type=broker"], ["--set-shared-config", "missing_key"]] {
            let result = try Tool.run(arguments, environment: Tool.environment(for: storage))
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == Self.availableKeys)
        }
    }

    @Test func missingType() throws {
        let directory = try TemporaryDirectory("note-type")
        let storage = try UpstreamStorage.makeStorage(in: directory)
        let result = try Tool.run(["--get-shared-config", "key", "--type=missing_type"], environment: Tool.environment(for: storage))
        #expect(result.status == 1)
        #expect(result.stderr == "Invalid configuration type missing_type, supported types are: broker, vm\n")
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
