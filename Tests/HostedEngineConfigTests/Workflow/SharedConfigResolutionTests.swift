import HostedEngineConfig
import Testing

@Suite struct SharedConfigResolutionTests {
    static let brokerListing = "broker : ['smtp-port', 'destination-emails', 'smtp-server', 'source-email', 'state_transition']"
    static let vmListing =
        "vm : ['num_of_sockets', 'cpu_per_socket', 'threads_per_cpu', 'min_allocated_mem', 'mem_size', 'nic.NAME.mac', 'nic.NAME.network', 'nic.NAME.model', 'nic.NAME.linked']"
    static let hostedEngineConfKeys =
        "['network_test', 'tcp_t_address', 'tcp_t_port', 'gateway', 'storage', 'mnt_options', 'nfs_version', 'iqn', 'portal', 'port', 'user', 'password', 'iscsi_paths_blacklist', 'fqdn', 'vm_disk_id', 'vm_disk_vol_id', 'vmid', 'conf', 'host_id', 'console', 'domainType', 'spUUID', 'sdUUID', 'connectionUUID', 'ca_cert', 'ca_subject', 'vdsm_use_ssl', 'bridge', 'metadata_volume_UUID', 'metadata_image_UUID', 'lockspace_volume_UUID', 'lockspace_image_UUID', 'conf_volume_UUID', 'conf_image_UUID']"
    static let heSharedListing = "he_shared : " + hostedEngineConfKeys
    static let heLocalListing = "he_local : " + hostedEngineConfKeys
    static let haListing = "ha : ['local_maintenance', 'local_maintenance_manual']"
    static let allListings = [brokerListing, vmListing, heSharedListing, heLocalListing, haListing]

    /// A second type that shares `smtp-server` with broker, as a future type could.
    static let twoTypes = Schema(types: [
        .broker,
        ConfigType(
            name: "relay", member: "relay.conf",
            keys: [
                ConfigKey(name: "smtp-server", section: "relay", rule: .hostOrAddress),
                ConfigKey(name: "relay-port", section: "relay", rule: .port),
            ]),
    ])

    @Test func resolvesBareAndQualifiedKeys() throws {
        let config = SharedConfig()
        #expect(try config.resolve(key: "smtp-server", type: nil).key.section == "email")
        #expect(try config.resolve(key: "email.smtp-server", type: "broker").key.name == "smtp-server")
        #expect(try config.resolve(key: "notify.state_transition", type: nil).key.name == "state_transition")
    }

    @Test func listsEveryTypesKeysForAnInvalidKey() throws {
        let error = #expect(throws: HostedEngineError.self) { try SharedConfig().resolve(key: "missing_key", type: "broker") }
        #expect(
            error?.description == "Invalid configuration key missing_key.\nAvailable keys are:\n" + Self.brokerListing)
        #expect(error?.exitCode == 1)
        #expect(throws: HostedEngineError.invalidKey("notify.smtp-server", available: Self.allListings)) {
            try SharedConfig().resolve(key: "notify.smtp-server", type: nil)
        }
        let two = #expect(throws: HostedEngineError.self) { try SharedConfig(schema: Self.twoTypes).resolve(key: "nope", type: nil) }
        #expect(
            two?.description == """
                Invalid configuration key nope.
                Available keys are:
                \(Self.brokerListing)
                relay : ['smtp-server', 'relay-port']
                """)
    }

    @Test func checksTheTypeFirst() throws {
        let error = #expect(throws: HostedEngineError.self) { try SharedConfig().resolve(key: "key", type: "missing_type") }
        #expect(error?.description == "Invalid configuration type missing_type, supported types are: broker, vm, he_shared, he_local, ha")
        #expect(throws: HostedEngineError.invalidType("vm", supported: ["broker", "relay"])) {
            try SharedConfig(schema: Self.twoTypes).resolve(key: "smtp-server", type: "vm")
        }
        #expect(try SharedConfig().resolve(key: "nic.vnet0.mac", type: nil).type.name == "vm")
        #expect(try SharedConfig().resolve(key: "mem_size", type: "vm").type.storage == .ovfStore)
        #expect(
            throws: HostedEngineError.invalidKey(
                "mem_size", available: [Self.brokerListing], hint: "mem_size is a key of type vm, not broker: use --type vm.")
        ) {
            try SharedConfig().resolve(key: "mem_size", type: "broker")
        }
    }

    @Test func asksForTheTypeOfAKeyInTwoTypes() throws {
        let config = SharedConfig(schema: Self.twoTypes)
        let error = #expect(throws: HostedEngineError.self) { try config.resolve(key: "smtp-server", type: nil) }
        #expect(
            error?.description
                == "Duplicate key, please specify the key type.\nsmtp-server is in broker (broker.conf on the shared storage) and relay (relay.conf on the shared storage); add --type broker or --type relay."
        )
        let local = #expect(throws: HostedEngineError.self) { try SharedConfig().resolve(key: "gateway", type: nil) }
        #expect(
            local?.description
                == "Duplicate key, please specify the key type.\ngateway is in he_shared (hosted-engine.conf on the shared storage) and he_local (this host's hosted-engine.conf); add --type he_shared or --type he_local."
        )
        #expect(try SharedConfig().resolve(key: "local_maintenance", type: nil).type.name == "ha")
        #expect(try config.resolve(key: "smtp-server", type: "broker").type.member == "broker.conf")
        #expect(try config.resolve(key: "smtp-server", type: "relay").type.member == "relay.conf")
        #expect(try config.resolve(key: "relay-port", type: nil).type.name == "relay")
    }

    @Test func keyIsCheckedBeforeAMissingValue() throws {
        let locator = VolumeLocator(volume: "/nonexistent/volume")
        #expect(throws: HostedEngineError.invalidKey("missing_key", available: [Self.brokerListing])) {
            try SharedConfig().set(
                key: "missing_key", value: nil, type: "broker", locator: locator,
                options: .init(backups: BackupStore(directory: "/nonexistent")))
        }
        let missing = #expect(throws: HostedEngineError.self) {
            try SharedConfig().set(
                key: "smtp-port", value: nil, type: nil, locator: locator, options: .init(backups: BackupStore(directory: "/nonexistent")))
        }
        #expect(missing?.exitCode == 64)
        // A bad value is refused before the volume is looked for.
        #expect(throws: HostedEngineError.invalidValue(key: "smtp-port", value: "x", rule: ValueRule.port.expectation)) {
            try SharedConfig().set(
                key: "smtp-port", value: "x", type: nil, locator: locator, options: .init(backups: BackupStore(directory: "/nonexistent")))
        }
    }
}
