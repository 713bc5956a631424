extension ConfigType {
    /// The engine VM's CPU, memory and NICs, in its OVF on the OVF_STORE (values are checked
    /// by OvfDocument, against the OVF itself); keys are the fixed ones and `nic.NAME.PROPERTY`.
    public static let vm = ConfigType(
        name: "vm", storage: .ovfStore,
        keys: (VmKey.fixedNames + VmKey.nicPatterns).map { ConfigKey(name: $0, section: nil, rule: .text) },
        acceptsKey: { VmKey($0) != nil },
        takesEffect:
            "The HA agents read the engine VM's OVF when they next start it (hosted-engine --vm-shutdown, then --vm-start, or a failover). The engine writes the OVF_STOREs from its database (every OvfUpdateIntervalInMinutes, 60 by default, once the VM changed there), so it will put the old value back unless the change is made in the engine too, once it runs."
    )
}
