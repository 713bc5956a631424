extension ConfigType {
    /// Why identity keys are not set: the deployment is found by them.
    static let identityReason =
        "it is part of this deployment's identity (the HA agents, vdsm and the engine find the storage, the engine VM and the hosts by it), and a wrong value breaks them"
    /// Why storage connection keys are not set yet.
    static let connectionReason =
        "it says how the HA agent connects the storage domain, and this tool does not check such values yet (a mistake stops the agent from connecting its storage)"

    /// hosted-engine.conf in the configuration archive, as the HA agent reads it: every key of
    /// upstream's template can be read; the agent's network monitor and gateway keys can be set.
    public static let heShared = ConfigType(
        name: "he_shared", member: "hosted-engine.conf",
        keys: [
            ConfigKey(name: "network_test", section: nil, rule: .networkTest),
            ConfigKey(name: "tcp_t_address", section: nil, rule: .hostOrAddress),
            ConfigKey(name: "tcp_t_port", section: nil, rule: .port),
            ConfigKey(name: "gateway", section: nil, rule: .ipAddress),
        ]
            + [
                "fqdn", "vm_disk_id", "vm_disk_vol_id", "vmid", "conf", "host_id", "console", "domainType", "spUUID", "sdUUID",
                "connectionUUID", "ca_cert", "ca_subject", "vdsm_use_ssl", "bridge", "metadata_volume_UUID", "metadata_image_UUID",
                "lockspace_volume_UUID", "lockspace_image_UUID", "conf_volume_UUID", "conf_image_UUID",
            ].map { ConfigKey(name: $0, section: nil, rule: .fixed(identityReason)) }
            + ["storage", "mnt_options", "nfs_version", "iqn", "portal", "port", "user", "password", "iscsi_paths_blacklist"].map {
                ConfigKey(name: $0, section: nil, rule: .fixed(connectionReason), isSecret: $0 == "password")
            },
        takesEffect:
            "hosted-engine.conf on the shared storage is read by hosts deployed from now on; since oVirt 4.4 a new host copies /etc/ovirt-hosted-engine/hosted-engine.conf from the host that runs the engine VM instead, so make the change in that file on each host too, then restart ovirt-ha-broker and ovirt-ha-agent there."
    )
}
