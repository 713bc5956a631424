import ArgumentParser
import HostedEngineConfig

struct DownloadOvfStore: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --download-ovf-store",
        abstract: "Extract the newest OVF_STORE copy (every VM's OVF) into a new directory.",
        discussion: """
            Each member becomes a file of DIR (0600, with the member's mtime); DIR/.hosted-engine/ \
            records the copy and the archive's checksum, the base of --upload-ovf-store. The \
            archive is streamed, never held in memory.
            """)

    @Argument(help: "A new (or empty) directory.") var directory: String
    @Flag(name: .customLong("json"), help: "Print {\"directory\", \"volume\", \"base\", \"members\", \"bytes\"} as JSON on stdout.")
    var json = false
    @OptionGroup var volume: VolumeOptions

    func run(in context: ToolContext) throws {
        let downloaded = try OvfStoreTransfer().download(into: directory, locator: volume.locator(context))
        if json {
            context.output.print(
                JSONText.object([
                    ("directory", .string(directory)), ("volume", .string(downloaded.directory.volumePath)),
                    ("base", .string(downloaded.directory.base.description)), ("members", .number(Int64(downloaded.members))),
                    ("bytes", .number(Int64(downloaded.bytes))),
                ]))
        } else {
            context.output.error(
                "Downloaded \(downloaded.members) members (\(downloaded.bytes) bytes) of \(downloaded.directory.volumePath) into \(directory)."
            )
            context.output.error("base: \(downloaded.directory.base)")
        }
    }
}
