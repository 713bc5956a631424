import ArgumentParser
import HostedEngineConfig

struct UploadArchive: WritingCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --upload-archive",
        abstract: "Replace the configuration archive with FILE, if the volume still holds BASE.",
        discussion: """
            FILE is a .tar or .tar.gz with the five members. Only editable keys may differ from \
            what the volume holds, with valid values. --force skips the base and those checks (to \
            restore an old backup), never the structural ones. The replaced archive is saved first.
            """)

    @Argument(help: "The archive to upload (.tar or .tar.gz).") var file: String
    @Option(name: .customLong("base"), help: ArgumentHelp("The checksum --download-archive printed.", valueName: "sha256:...")) var base:
        String?
    @Flag(name: .customLong("force"), help: "Upload whatever the volume holds now and whatever changed (a restore).") var force = false
    @Flag(name: .customLong("dry-run"), help: "Show what the upload would change, and write nothing.") var dryRun = false
    @OptionGroup var volume: VolumeOptions
    @OptionGroup var write: WriteOptions

    func run(in context: ToolContext) throws {
        var checksum: Checksum?
        if let base {
            guard let parsed = Checksum(parsing: base) else { throw HostedEngineError.invalidBase(base) }
            checksum = parsed
        }
        switch try ArchiveTransfer().upload(
            file, base: checksum, force: force, dryRun: dryRun, locator: volume.locator(context), options: write.options(context: context))
        {
        case .unchanged:
            context.output.error("The volume already holds this archive; nothing was written.")
        case let .written(backup):
            context.output.backups([backup])
        case let .wouldChange(lines):
            context.output.print((["Would upload \(file):"] + lines.map { "  " + $0 }).joined(separator: "\n"))
        }
    }
}
