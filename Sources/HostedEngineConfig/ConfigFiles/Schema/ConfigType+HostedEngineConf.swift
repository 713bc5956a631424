extension ConfigType {
    /// Why identity keys are not set: the deployment is found by them.
    static let identityReason =
        "it is part of this deployment's identity (the HA agents, vdsm and the engine find the storage, the engine VM and the hosts by it), and a wrong value breaks them"

    /// What a storage connection key changes, for the confirmation.
    static let connectionWhat = "changes how the HA agent connects the hosted-engine storage domain (a mistake stops it connecting)"

    /// Every key of upstream's hosted-engine.conf template and the agent's optional ones: the
    /// network monitor and gateway keys with their rules, the storage connection keys with
    /// their forms (confirmed before they are written), the identity keys refused.
    static let hostedEngineConfKeys: [ConfigKey] =
        [
            ConfigKey(name: "network_test", section: nil, rule: .oneOf(["dns", "ping", "tcp", "none"])),
            ConfigKey(name: "tcp_t_address", section: nil, rule: .hostOrAddress),
            ConfigKey(name: "tcp_t_port", section: nil, rule: .port),
            ConfigKey(name: "gateway", section: nil, rule: .ipAddress),
        ]
        + [
            ("storage", ValueRule.storageConnection), ("mnt_options", .mountOptions),
            ("nfs_version", .oneOf(["auto", "v3", "v4", "v4_0", "v4_1", "v4_2"])), ("iqn", .iscsiNames),
            ("portal", .integerList(0...65535)), ("port", .integerList(1...65535)), ("user", .optionalText),
            ("password", .optionalText), ("iscsi_paths_blacklist", .pathsBlacklist),
        ].map { ConfigKey(name: $0.0, section: nil, rule: $0.1, isSecret: $0.0 == "password", confirmation: connectionWhat) }
        + [
            ("fqdn", ValueRule.hostOrAddress), ("vm_disk_id", .uuid), ("vm_disk_vol_id", .uuid), ("vmid", .uuid), ("conf", .text),
            ("host_id", .integer(1...2000)), ("console", .text),
            ("domainType", .oneOf(["nfs", "nfs3", "nfs4", "glusterfs", "iscsi", "fc"])), ("spUUID", .uuid), ("sdUUID", .uuid),
            ("connectionUUID", .uuid), ("ca_cert", .text), ("ca_subject", .text), ("vdsm_use_ssl", .oneOf(["true", "false"])),
            ("bridge", .text), ("metadata_volume_UUID", .uuid), ("metadata_image_UUID", .uuid), ("lockspace_volume_UUID", .uuid),
            ("lockspace_image_UUID", .uuid), ("conf_volume_UUID", .uuid), ("conf_image_UUID", .uuid),
        ].map {
            ConfigKey(
                name: $0.0, section: nil, rule: .identity(identityReason, form: $0.1),
                confirmation: "changes an identity key of this deployment (\(identityReason))")
        }

    /// hosted-engine.conf in the configuration archive, as the HA agent reads it.
    public static let heShared = ConfigType(
        name: "he_shared", member: "hosted-engine.conf", keys: hostedEngineConfKeys,
        takesEffect:
            "hosted-engine.conf on the shared storage is read by hosts deployed from now on; since oVirt 4.4 a new host copies /etc/ovirt-hosted-engine/hosted-engine.conf from the host that runs the engine VM instead, so make the change with --type he_local on each host too, then restart ovirt-ha-broker and ovirt-ha-agent there."
    )

    /// This host's hosted-engine.conf, which its HA agent and broker read when they start.
    public static let heLocal = ConfigType(
        name: "he_local", storage: .localFile(.hostedEngineConf), keys: hostedEngineConfKeys,
        takesEffect:
            "This host's hosted-engine.conf is read when the HA services start: run systemctl restart ovirt-ha-broker ovirt-ha-agent on this host for the change to take effect."
    )

    /// This host's ha.conf: local maintenance, which the HA agent reads in every loop.
    public static let ha = ConfigType(
        name: "ha", storage: .localFile(.haConf),
        keys: ["local_maintenance", "local_maintenance_manual"].map { ConfigKey(name: $0, section: nil, rule: .oneOf(["True", "False"])) },
        takesEffect: "The HA agent reads ha.conf in every loop: the change takes effect within a few seconds, without a restart.")
}
