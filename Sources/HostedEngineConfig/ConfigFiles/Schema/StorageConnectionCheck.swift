/// What the HA agent does with hosted-engine.conf's storage connection keys together
/// (`lib/storage_server.py`), checked after a change to one of them: `storage` in the form the
/// domain type needs, and iSCSI's lists of one entry per portal, which the agent pairs up with
/// `zip`, silently dropping what has no partner.
enum StorageConnectionCheck {
    static let keys: Set<String> = ["storage", "port", "iqn", "portal", "user", "password", "domainType"]

    /// Why the agent would not connect as intended after `changedKey` changed; nil when it would.
    static func problem(in file: AgentConfReading, changedKey: String) -> String? {
        guard keys.contains(changedKey), let domainType = file.value("domainType") else { return nil }
        let storage = file.value("storage") ?? ""
        switch domainType {
        case "nfs", "nfs3", "nfs4", "glusterfs":
            guard ValueRule.isFileStorage(storage) else {
                return
                    "the storage domain is \(domainType), so storage must be server:/path (like nfs.example.com:/exports/he), not \(DisplayText.quoted(storage, secret: false))"
            }
        case "iscsi":
            guard ValueRule.isAddressList(storage) else {
                return
                    "the storage domain is iscsi, so storage must be the portals' addresses separated by commas, not \(DisplayText.quoted(storage, secret: false))"
            }
            let addresses = ValueRule.split(storage, on: ",").count
            let iqn = file.value("iqn") ?? ""
            let paired = iqn.contains(",") ? ["port", "iqn", "portal", "user", "password"] : ["port"]
            for key in paired {
                let count = ValueRule.split(file.value(key) ?? "", on: ",").count
                guard count == addresses else {
                    return
                        "storage lists \(addresses) address\(addresses == 1 ? "" : "es") but \(key) has \(count) entr\(count == 1 ? "y" : "ies"); the agent pairs them one by one and would drop the ones without a partner, so give one \(key) per address"
                }
            }
        default:
            break
        }
        return nil
    }
}
