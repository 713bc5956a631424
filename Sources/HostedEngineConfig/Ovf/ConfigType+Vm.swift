extension ConfigType {
    /// The engine VM's CPU, memory and NICs, in its OVF on the OVF_STORE (values are checked
    /// by OvfDocument, against the OVF itself); keys are the fixed ones and `nic.NAME.PROPERTY`.
    public static let vm = ConfigType(
        name: "vm", storage: .ovfStore,
        keys: (VmKey.fixedNames + VmKey.nicPatterns).map { ConfigKey(name: $0, section: nil, rule: .text) },
        acceptsKey: { VmKey($0) != nil })
}
