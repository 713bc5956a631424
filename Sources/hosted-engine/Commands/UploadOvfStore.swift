import ArgumentParser
import HostedEngineConfig

struct UploadOvfStore: WritingCommand {
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

    func run(in context: ToolContext) throws {
        let uploaded = try OvfStoreTransfer().upload(
            from: directory, force: force, locator: volume.locator(context), options: write.options(force: force, context: context))
        if uploaded.isUnchanged {
            context.output.error("The OVF_STORE already holds \(directory)'s files; nothing was written.")
            return
        }
        let parts = [("changed", uploaded.changed), ("added", uploaded.added), ("removed", uploaded.removed)]
            .filter { !$0.1.isEmpty }.map { "\($0.0) \($0.1.joined(separator: ", "))" }
        context.output.error(
            "Uploaded \(directory): \(parts.isEmpty ? "the copies that differed now hold it" : parts.joined(separator: "; ")).")
        context.output.backups(uploaded.backups)
    }
}
