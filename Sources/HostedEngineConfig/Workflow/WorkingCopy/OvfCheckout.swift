import SystemPackage

/// The engine VM's OVF in a checkout: `DIR/<vmid>.ovf`, and under `.hosted-engine/` the OVF as
/// checked out (`base.ovf`) and each OVF_STORE copy with its checksum then (`ovf-stores`).
public struct OvfCheckout: Sendable {
    public let member: String
    public let base: OvfDocument
    /// Newest first, as the locator found them.
    public let stores: [(path: String, checksum: Checksum)]

    static func fetch(locator: VolumeLocator) throws -> OvfCheckout {
        let found = try locator.ovfStoreCopies()
        var stores: [(path: String, checksum: Checksum)] = []
        var newest: [UInt8]??
        for store in found.stores {
            let read = try OvfStoreImage.reading(try locator.open(store.path, forWriting: false), member: found.member, lockTimeout: 30)
            newest = newest ?? read.contents
            stores.append((store.path, read.image.checksum))
        }
        guard let newest, let bytes = newest else {
            throw HostedEngineError.archiveInvalid(path: found.stores[0].path, problem: .storeLacksMember(found.member))
        }
        return OvfCheckout(member: found.member, base: try OvfDocument(bytes: bytes, name: found.member), stores: stores)
    }

    static func open(metadata directory: String) throws -> OvfCheckout? {
        guard let list = try? LocalFile.read(directory + "/ovf-stores") else { return nil }
        var member = ""
        var stores: [(path: String, checksum: Checksum)] = []
        for line in String(decoding: list, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("member=") {
                member = String(line.dropFirst("member=".count))
            } else if let space = line.firstIndex(of: " "), let checksum = Checksum(parsing: String(line[..<space])) {
                stores.append((String(line[line.index(after: space)...]), checksum))
            }
        }
        guard !member.isEmpty, !stores.isEmpty, let bytes = try? LocalFile.read(directory + "/base.ovf", limit: 64 << 20) else {
            throw HostedEngineError.workingDirectory(directory, .ovfRecordDamaged)
        }
        return OvfCheckout(member: member, base: try OvfDocument(bytes: bytes, name: member), stores: stores)
    }

    func save(metadata directory: String) throws(Errno) {
        let list = (["member=\(member)"] + stores.map { "\($0.checksum) \($0.path)" }).joined(separator: "\n") + "\n"
        try LocalFile.writeAtomically(directory + "/base.ovf", base.bytes, mode: 0o600)
        try LocalFile.writeAtomically(directory + "/ovf-stores", Array(list.utf8), mode: 0o600)
    }
}
