import Glibc

extension SharedConfig.WriteOptions {
    /// Records a write in the audit trail, if there is one; a failure to record is said on
    /// stderr, since the write it records has happened.
    func audit(
        _ action: String, target: String, type: String?, changes: [String], before: Checksum?, after: Checksum?, locator: VolumeLocator
    ) {
        guard let audit else { return }
        let event = AuditLog.Event(
            action: action, target: target, type: type, changes: changes, before: before?.description, after: after?.description)
        if let problem = audit.record(event) { locator.volumeSettings.report("WARNING: the write was made, but \(problem).") }
    }
}
