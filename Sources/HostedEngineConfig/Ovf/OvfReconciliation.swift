/// An OVF edited by hand (in a checkout, or in the editor), made whole: the vm keys' primary
/// values (the rasd elements, MinAllocatedMem) are what the administrator meant; every place
/// that restates them (captions, the embedded libvirt XML) follows, as `setting` would write it.
public struct OvfReconciliation: Sendable {
    /// The OVF to write: the base with each changed key set.
    public let bytes: [UInt8]
    /// Keys whose primary value changed: key, old, new.
    public let changes: [(key: VmKey, old: String, new: String)]
    /// What is wrong with the edited OVF, one line each; empty when it can be written.
    public let problems: [String]

    public var isUnchanged: Bool { changes.isEmpty && problems.isEmpty }
}
