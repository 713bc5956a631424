import ArchiveKit
import Crypto

extension StorageVerification {
    /// Every OVF_STORE copy: as stored, whether it holds a readable engine VM OVF, and whether
    /// the copies agree. The agents take the OVF from the last copy vdsm lists, not the newest,
    /// so copies that disagree can start the engine VM from either.
    func checkOvfStores(into report: inout StorageReport) {
        let found: OvfStoreLocator.Found
        do {
            found = try locator.ovfStoreCopies()
        } catch {
            report.problems.append("OVF_STORE: \(error)")
            return
        }
        report.engineOvfMember = found.member
        var memberHashes: [[String: Checksum]] = []
        for (index, store) in found.stores.enumerated() {
            let updated = store.lastUpdatedText.map { "Last Updated \($0)" }
            let volume: Volume
            do {
                volume = try locator.open(store.path, forWriting: false)
            } catch {
                report.add("OVF_STORE: \(error)", fix: Self.fix(opening: error))
                report.ovfStores.append(
                    .init(path: store.path, origin: updated, size: nil, facts: nil, journal: nil, archive: nil, isNewest: index == 0))
                continue
            }
            let (facts, journal) = inspect(volume, what: "OVF_STORE", into: &report)
            var hashes: [String: Checksum] = [:]
            var engineOvf: [UInt8]?
            var summary: StorageReport.Archive?
            do {
                let image = try OvfStoreImage(volume: volume) { entry, reader in
                    var hasher = SHA256()
                    var kept: [UInt8] = []
                    do {
                        try reader.readData { chunk in
                            hasher.update(bufferPointer: chunk)
                            if entry.path == found.member { kept += chunk }
                        }
                    } catch let error as ArchiveError {
                        throw HostedEngineError.unreadableArchive(volume.path, error)
                    }
                    hashes[entry.path] = Checksum(digest: hasher.finalize())
                    if entry.path == found.member { engineOvf = kept }
                }
                summary = .init(
                    storedBytes: image.count, recordSize: image.recordSize, checksum: image.checksum,
                    members: image.layout.members.map { Self.member($0.entry) })
                memberHashes.append(hashes)
                if let engineOvf {
                    do {
                        _ = try OvfDocument(bytes: engineOvf, name: found.member)
                    } catch {
                        report.problems.append(
                            "\(store.path): the engine VM's OVF (\(found.member)) cannot be read: \(error); the agents cannot start the VM from it: restore a backup of this copy (hosted-engine --list-backups, then --restore-backup ID)."
                        )
                    }
                } else {
                    report.problems.append(
                        "\(store.path): this OVF_STORE holds no \(found.member) (the engine VM's OVF, vmid in hosted-engine.conf); the agents fall back to vm.conf: check vmid, or let the engine rewrite its OVF_STOREs (Storage > Domains > Update OVFs)."
                    )
                }
            } catch {
                report.problems.append(
                    "\(store.path): the OVF_STORE's archive cannot be read: \(Self.reason(error)); restore a backup of this copy (hosted-engine --list-backups, then --restore-backup ID), or let the engine rewrite its OVF_STOREs (Storage > Domains > Update OVFs)."
                )
            }
            report.ovfStores.append(
                .init(
                    path: store.path, origin: updated, size: volume.size, facts: facts, journal: journal, archive: summary,
                    isNewest: index == 0))
        }
        compareCopies(memberHashes, member: found.member, stores: found.stores, into: &report)
    }

    /// Whether the copies that could be read hold the same engine VM OVF, and which other
    /// members differ (info.json always does: it holds Last Updated).
    private func compareCopies(
        _ hashes: [[String: Checksum]], member: String, stores: [OvfStoreLocator.Store], into report: inout StorageReport
    ) {
        guard let first = hashes.first else { return }
        let engineOvfs = hashes.compactMap { $0[member] }
        if engineOvfs.count == hashes.count, Set(engineOvfs).count == 1 {
            report.agreedEngineOvf = engineOvfs[0]
        } else if hashes.count > 1, Set(engineOvfs).count > 1 {
            let listed = zip(stores, hashes).map { store, copy in "\(store.path) has \(copy[member].map { "\($0)" } ?? "none")" }
            report.add(
                "The OVF_STORE copies disagree on the engine VM's OVF (\(member)): \(listed.joined(separator: "; ")); the agents may read either: write the newest to every copy (hosted-engine --download-ovf-store DIR, then --upload-ovf-store DIR --force, which writes it to every copy).",
                fix: ["hosted-engine --download-ovf-store DIR", "hosted-engine --upload-ovf-store DIR --force"])
        }
        let names = Set(hashes.flatMap(\.keys)).subtracting([member, "info.json"])
        report.otherMembersDiffering = names.sorted().filter { name in hashes.contains { $0[name] != first[name] } }
    }
}
