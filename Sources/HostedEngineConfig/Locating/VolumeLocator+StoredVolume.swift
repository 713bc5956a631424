import Glibc

extension VolumeLocator {
    /// `HE_MOUNT_ROOT`, else where vdsm mounts file domains.
    public var resolvedMountRoot: String {
        environment["HE_MOUNT_ROOT"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultMountRoot
    }

    /// vdsm's API through vdsm-client on this host.
    public var vdsm: VdsmClient {
        VdsmClient(environment: environment, storageRoot: resolvedStorageRoot, mountRoot: resolvedMountRoot)
    }

    /// A volume of the hosted-engine storage domain named by hosted-engine.conf (sdUUID and the
    /// two keys given), found as upstream finds it (lib/heconflib.py `get_volume_path`): vdsm's
    /// link `STORAGE_ROOT/<sd>/<img>/<vol>` when it is there; else vdsm is asked to prepare the
    /// image (`Image.prepare`, which makes that link after a reboot or a teardown) and its path is
    /// used; else, on a file domain, where lib/image.py looks: `MOUNT_ROOT/*/<sd>/images/<img>/<vol>`.
    /// The failure says what was tried and the command that prepares the volume by hand.
    func storedVolume(imageKey: String, volumeKey: String, confPath: String, conf: AgentConfReading) -> Result<
        (path: String, how: String), HostedEngineError
    > {
        var parts: [String] = []
        for key in ["sdUUID", imageKey, volumeKey] {
            guard let value = conf.value(key), !value.isEmpty else {
                return .failure(
                    .volumeNotFound(
                        .keyNotSet(
                            what: Self.describe(volumeKey), conf: confPath, key: key, storageRoot: resolvedStorageRoot,
                            alternative: Self.alternative(volumeKey))))
            }
            guard Self.isPlainName(value) else {
                return .failure(
                    .volumeNotFound(
                        .keyNotAName(
                            what: Self.describe(volumeKey), conf: confPath, key: key, value: value, alternative: Self.alternative(volumeKey)
                        )))
            }
            parts.append(value)
        }
        let (domain, image, volume) = (parts[0], parts[1], parts[2])
        let link = ([resolvedStorageRoot] + parts).joined(separator: "/")
        var status = stat()
        // EACCES: root on a root-squashed export cannot look; the volume is opened as its owner.
        if lstat(link, &status) == 0 || errno == EACCES {
            if stat(link, &status) == 0 || errno == EACCES { return .success((link, "under \(resolvedStorageRoot)")) }
        }
        let missing = String(cString: strerror(errno))
        let pool = conf.value("spUUID").flatMap { Self.isPlainName($0) ? $0 : nil } ?? VdsmClient.blankUUID
        let client = vdsm
        let prepared: Result<String, VdsmClient.Failure> = Result { () throws(VdsmClient.Failure) in
            try client.prepareImage(pool: pool, domain: domain, image: image, volume: volume)
        }
        switch prepared {
        case let .success(path):
            volumeSettings.logger.info("vdsm prepared image \(image) (it was not linked under \(resolvedStorageRoot)): \(path)")
            return .success((path, "prepared by vdsm (vdsm-client Image prepare), \(path)"))
        case let .failure(failure):
            volumeSettings.logger.info("vdsm-client Image prepare: \(failure)")
            for mounted in fileDomainPaths(domain: domain, image: image, volume: volume) where stat(mounted, &status) == 0 {
                return .success((mounted, "in the file domain's mount, \(resolvedMountRoot)"))
            }
            return .failure(
                .volumeNotFound(
                    .notPrepared(
                        what: Self.describe(volumeKey), link: link, missing: missing, vdsm: failure,
                        prepare: VdsmClient.prepareCommand(pool: pool, domain: domain, image: image, volume: volume),
                        alternative: Self.alternative(volumeKey))))
        }
    }

    /// Where a file domain keeps a volume (upstream's lib/image.py `_get_image_path`): under
    /// every mount, and under glusterSD for Gluster domains.
    func fileDomainPaths(domain: String, image: String, volume: String) -> [String] {
        imageFolders(domain: domain).map { "\($0)/\(image)/\(volume)" }
    }

    /// `MOUNT_ROOT/*/<sd>/images` and `MOUNT_ROOT/glusterSD/*/<sd>/images`.
    private func imageFolders(domain: String) -> [String] {
        let root = resolvedMountRoot
        var mounts = ((try? LocalFile.list(root)) ?? []).map { root + "/" + $0 }
        mounts += ((try? LocalFile.list(root + "/glusterSD")) ?? []).map { root + "/glusterSD/" + $0 }
        return mounts.map { "\($0)/\(domain)/images" }
    }

    /// The image UUIDs of a file domain, from its folders in the mounts (lib/image.py
    /// `_my_get_images_list`: `MOUNT_ROOT/*/<sd>/images/*-*-*-*-*` that are folders).
    func fileDomainImages(domain: String) -> [String] {
        let images = imageFolders(domain: domain).flatMap { folder in
            ((try? LocalFile.list(folder)) ?? []).filter { name in
                name.split(separator: "-", omittingEmptySubsequences: false).count == 5 && LocalFile.isDirectory(folder + "/" + name)
            }
        }
        return Array(Set(images)).sorted()
    }

    /// A UUID as hosted-engine.conf gives it: one path component, nothing to climb with.
    static func isPlainName(_ value: String) -> Bool {
        !value.isEmpty && !value.contains("/") && value != "." && value != ".." && !value.unicodeScalars.contains { $0.value < 0x20 }
    }

    private static func describe(_ volumeKey: String) -> String {
        volumeKey == "conf_volume_UUID" ? "configuration volume" : "lockspace volume"
    }

    /// The way round a volume that cannot be found, for the messages.
    private static func alternative(_ volumeKey: String) -> String {
        volumeKey == "conf_volume_UUID" ? "pass --volume PATH" : "start ovirt-ha-broker, which prepares it"
    }
}
