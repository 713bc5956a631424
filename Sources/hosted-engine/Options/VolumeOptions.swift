import ArgumentParser
import HostedEngineConfig

/// Where the configuration volume is; shared by every command.
struct VolumeOptions: ParsableArguments {
    @Option(
        name: .customLong("volume"),
        help: ArgumentHelp(
            "The configuration volume (file or block device). Default: $HE_CONF_VOLUME, else found from hosted-engine.conf.",
            valueName: "path"))
    var volume: String?

    @Option(
        name: .customLong("he-conf"),
        help: ArgumentHelp(
            "This host's hosted-engine.conf: the he_local type, and sdUUID, conf_image_UUID and conf_volume_UUID to find the volume. Default: $HE_CONF, else \(VolumeLocator.defaultHostedEngineConf).",
            valueName: "file"))
    var hostedEngineConf: String?

    @Option(
        name: .customLong("ha-conf"),
        help: ArgumentHelp(
            "This host's ha.conf, for the ha type. Default: $HE_HA_CONF, else \(HostFile.haConf.defaultPath).", valueName: "file"))
    var haConf: String?

    @Option(
        name: .customLong("storage-root"),
        help: ArgumentHelp(
            "Where vdsm exposes storage domains. Default: $HE_STORAGE_ROOT, else \(VolumeLocator.defaultStorageRoot).",
            valueName: "dir"))
    var storageRoot: String?

    @Option(
        name: .customLong("ovf-store"),
        help: ArgumentHelp(
            "An OVF_STORE volume holding the engine VM's OVF, for vm keys; repeat for each copy. Default: $HE_OVF_STORE (paths separated by ':'), else found by scanning the storage domain's .meta files.",
            valueName: "path"))
    var ovfStores: [String] = []

    /// Where this command's volumes are, opened with `context`'s settings.
    func locator(_ context: ToolContext) -> VolumeLocator {
        context.locator(volume: volume, hostedEngineConf: hostedEngineConf, haConf: haConf, storageRoot: storageRoot, ovfStores: ovfStores)
    }
}
