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
    @Flag(name: .customLong("json"), help: "Print {\"directory\", \"volume\", \"base\", \"members\", \"bytes\"} as JSON on stdout.") var json = false
    @OptionGroup var volume: VolumeOptions

    func run() throws {
        let downloaded = try OvfStoreTransfer().download(into: directory, locator: volume.locator)
        if json {
            print(JSONText.object([
                ("directory", .string(directory)), ("volume", .string(downloaded.directory.volumePath)),
                ("base", .string(downloaded.directory.base.description)), ("members", .number(Int64(downloaded.members))),
                ("bytes", .number(Int64(downloaded.bytes))),
            ]))
        } else {
            Output.error("Downloaded \(downloaded.members) members (\(downloaded.bytes) bytes) of \(downloaded.directory.volumePath) into \(directory).")
            Output.error("base: \(downloaded.directory.base)")
        }
    }
}

struct UploadOvfStore: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --upload-ovf-store",
        abstract: "Write a directory made by --download-ovf-store back to every OVF_STORE copy.",
        discussion: """
            Unchanged files keep their members' bytes; changed, added and removed files change, \
            add and remove members. The copy DIR came from must still hold what was downloaded \
            (else exit 3), the engine VM's OVF must stay and change only in vm keys, consistently, \
            and every changed OVF must read as an OVF; --force skips these checks (a restore). \
            Each copy's replaced archive is saved first. The engine rewrites the OVF_STOREs from \
            its database at its next update; this is for when it cannot.
            """)

    @Argument(help: "The directory --download-ovf-store made.") var directory: String
    @Flag(name: .customLong("force"), help: "Upload whatever the copies hold now and whatever changed (a restore).") var force = false
    @OptionGroup var volume: VolumeOptions
    @OptionGroup var write: WriteOptions

    func run() throws {
        let uploaded = try OvfStoreTransfer().upload(from: directory, force: force, locator: volume.locator, options: write.options(force: force))
        if uploaded.isUnchanged {
            Output.error("The OVF_STORE already holds \(directory)'s files; nothing was written.")
            return
        }
        let parts = [("changed", uploaded.changed), ("added", uploaded.added), ("removed", uploaded.removed)]
            .filter { !$0.1.isEmpty }.map { "\($0.0) \($0.1.joined(separator: ", "))" }
        Output.error("Uploaded \(directory): \(parts.isEmpty ? "the copies that differed now hold it" : parts.joined(separator: "; ")).")
        reportBackup(uploaded.backups)
    }
}
