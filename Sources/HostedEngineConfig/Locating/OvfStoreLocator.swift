import Glibc

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Finds the OVF_STORE volumes that hold the engine VM's OVF, and the VM's id.
///
/// In this order: `--ovf-store PATH` (repeatable); `HE_OVF_STORE` (paths separated by `:`);
/// otherwise the storage domain is scanned: a file domain keeps `<vol>.meta` beside each volume,
/// and an OVF_STORE's has a `DESCRIPTION=` whose JSON says `"Disk Description":"OVF_STORE"`.
/// The engine keeps two copies; the one whose `Last Updated` is newest is read, and every copy
/// is written.
public struct OvfStoreLocator: Sendable {
    public var stores: [String]
    public var volumeLocator: VolumeLocator

    public init(stores: [String] = [], volumeLocator: VolumeLocator) {
        self.stores = stores
        self.volumeLocator = volumeLocator
    }

    public struct Store: Sendable, Equatable {
        public let path: String
        /// From the `.meta`'s `Last Updated`, in seconds since the epoch; nil when not known.
        public let lastUpdated: Int64?
        public let lastUpdatedText: String?
    }

    public struct Found: Sendable {
        /// Newest first.
        public let stores: [Store]
        /// The VM whose OVF is `<vmid>.ovf`.
        public let vmid: String

        public var member: String { "\(vmid).ovf" }

        /// One line for stderr: which copies, and which is read (named by image/volume).
        public var summary: String {
            let listed = stores.enumerated().map { index, store in
                let name = store.path.split(separator: "/").suffix(2).joined(separator: "/")
                let updated = store.lastUpdatedText.map { "Last Updated \($0)" }
                let notes = [updated, index == 0 ? "read" : nil].compactMap { $0 }
                return name + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")
            }
            return "OVF_STORE copies: \(listed.joined(separator: ", "))."
        }
    }

    public func locate() throws -> Found {
        let explicit =
            stores.isEmpty
            ? (volumeLocator.environment["HE_OVF_STORE"] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
            : stores
        let conf = try volumeLocator.hostedEngineConfFile()
        guard let vmid = conf.file.value("vmid"), !vmid.isEmpty else {
            throw HostedEngineError.volumeNotFound(.vmidNotSet(conf: conf.path))
        }
        guard VolumeLocator.isPlainName(vmid) else {
            throw HostedEngineError.volumeNotFound(.vmidNotAName(conf: conf.path, value: vmid))
        }
        var found: [Store] = []
        if !explicit.isEmpty {
            for path in explicit {
                var status = stat()
                guard stat(path, &status) == 0 || errno == EACCES else {
                    throw HostedEngineError.volumeNotFound(.noOvfStoreAt(path, errno: errno))
                }
                found.append(Self.describe(volume: path))
            }
        } else {
            guard let domain = conf.file.value("sdUUID"), !domain.isEmpty, !domain.contains("/") else {
                throw HostedEngineError.volumeNotFound(.sdUUIDNotSet(conf: conf.path))
            }
            let root = volumeLocator.resolvedStorageRoot + "/" + domain
            for image in (try? LocalFile.list(root)) ?? [] {
                for name in (try? LocalFile.list(root + "/" + image)) ?? [] where name.hasSuffix(".meta") {
                    let meta = root + "/" + image + "/" + name
                    if let store = Self.store(fromMeta: meta) { found.append(store) }
                }
            }
            if found.isEmpty {
                // Block domains keep no .meta files (and a file domain's images may not be
                // linked yet): ask vdsm, as the HA agent does.
                let pool = conf.file.value("spUUID").flatMap { VolumeLocator.isPlainName($0) ? $0 : nil } ?? VdsmClient.blankUUID
                do throws(VdsmClient.Failure) {
                    found = try Self.storesThroughVdsm(
                        volumeLocator.vdsm, domain: domain, pool: pool, mountedImages: volumeLocator.fileDomainImages(domain: domain))
                } catch {
                    throw HostedEngineError.volumeNotFound(.noOvfStoreAndNoVdsm(root: root, vdsm: error))
                }
            }
            guard !found.isEmpty else {
                throw HostedEngineError.volumeNotFound(.noOvfStore(root: root))
            }
        }
        found.sort { ($0.lastUpdated ?? Int64.min, $1.path) > ($1.lastUpdated ?? Int64.min, $0.path) }
        return Found(stores: found, vmid: vmid)
    }

    /// The domain's OVF_STOREs as the HA agent finds them (lib/ovf/ovf_store.py `OVFStore.scan`):
    /// every image vdsm lists (when it cannot list them, the file domain's image folders, as
    /// lib/image.py `get_images_list` falls back to), every volume of it, the volume's
    /// description, and those that say `"Disk Description":"OVF_STORE"` prepared (their path is
    /// vdsm's answer).
    static func storesThroughVdsm(_ vdsm: VdsmClient, domain: String, pool: String, mountedImages: [String]) throws(VdsmClient.Failure)
        -> [Store]
    {
        let images: [String]
        do {
            images = try vdsm.images(domain: domain)
        } catch {
            guard !mountedImages.isEmpty else { throw error }
            images = mountedImages
        }
        var stores: [Store] = []
        for image in images where VolumeLocator.isPlainName(image) {
            for volume in try vdsm.volumes(domain: domain, pool: pool, image: image) where VolumeLocator.isPlainName(volume) {
                let text = try vdsm.volumeDescription(domain: domain, pool: pool, image: image, volume: volume)
                guard text.hasPrefix("{"), text.hasSuffix("}"),
                    let description = try? JSONDecoder().decode(Description.self, from: Data(text.utf8)),
                    description.diskDescription == "OVF_STORE"
                else { continue }
                let path = try vdsm.prepareImage(pool: pool, domain: domain, image: image, volume: volume)
                stores.append(
                    Store(
                        path: path, lastUpdated: description.lastUpdated.flatMap(Self.parseJavaDate),
                        lastUpdatedText: description.lastUpdated.map { DisplayText.printable($0) }))
            }
        }
        return stores
    }

    /// A volume, with its `.meta` if it has one.
    static func describe(volume path: String) -> Store {
        store(fromMeta: path + ".meta", requireOvfStore: false) ?? Store(path: path, lastUpdated: nil, lastUpdatedText: nil)
    }

    /// The volume a `.meta` describes, when its DESCRIPTION says OVF_STORE.
    static func store(fromMeta meta: String, requireOvfStore: Bool = true) -> Store? {
        guard let bytes = try? LocalFile.read(meta, limit: 1 << 16) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") {
            if line == "EOF" { break }
            guard line.hasPrefix("DESCRIPTION=") else { continue }
            let json = Array(line.dropFirst("DESCRIPTION=".count).utf8)
            guard let description = try? JSONDecoder().decode(Description.self, from: Data(json)) else { return nil }
            guard !requireOvfStore || description.diskDescription == "OVF_STORE" else { return nil }
            return Store(
                path: String(meta.dropLast(".meta".count)), lastUpdated: description.lastUpdated.flatMap(Self.parseJavaDate),
                lastUpdatedText: description.lastUpdated)
        }
        return nil
    }

    struct Description: Decodable {
        let diskDescription: String?
        let lastUpdated: String?

        enum CodingKeys: String, CodingKey {
            case diskDescription = "Disk Description"
            case lastUpdated = "Last Updated"
        }
    }

    /// Java's `Date.toString()`, as the engine writes `Last Updated`: `Thu Nov 25 21:15:42 UTC 2026`.
    public static func parseJavaDate(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6 else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let clock = parts[3].split(separator: ":").compactMap { Int32($0) }
        guard let month = months.firstIndex(of: String(parts[1])), let day = Int32(parts[2]), clock.count == 3,
            let year = Int32(parts[5])
        else { return nil }
        var time = tm()
        time.tm_year = year - 1900
        time.tm_mon = Int32(month)
        time.tm_mday = day
        time.tm_hour = clock[0]
        time.tm_min = clock[1]
        time.tm_sec = clock[2]
        // Both copies come from one engine in one zone; unknown abbreviations count as UTC.
        let offsets: [String: Int64] = [
            "UTC": 0, "GMT": 0, "UT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
            "PST": -8, "PDT": -7, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "IDT": 3, "JST": 9,
        ]
        return Int64(timegm(&time)) - (offsets[String(parts[4])] ?? 0) * 3600
    }
}
