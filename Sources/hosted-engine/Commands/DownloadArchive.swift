import ArgumentParser
import HostedEngineConfig

struct DownloadArchive: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --download-archive",
        abstract: "Save the configuration archive exactly as stored on the volume.",
        discussion: """
            Writes the archive's tar records (not the rest of the volume) to FILE, gzip-compressed \
            when FILE ends in .tar.gz or .tgz, or to stdout for -. Prints the base checksum on \
            stderr as `base: sha256:...`; give it to --upload-archive --base.
            """)

    @Argument(help: "Where to save it: a .tar, .tar.gz or .tgz file, or - for stdout.") var file: String
    @Flag(name: .customLong("json"), help: "Print {\"base\", \"file\", \"bytes\", \"volume\"} as JSON on stdout.") var json = false
    @OptionGroup var volume: VolumeOptions

    func validate() throws {
        if json, file == "-" { throw ValidationError("--json prints on stdout, where - writes the archive; give a file name.") }
    }

    func run(in context: ToolContext) throws {
        let source = try volume.locator(context).openConfigurationVolume(forWriting: false)
        let path = source.path
        let archive = try ConfigArchive.load(from: source)
        try ArchiveTransfer().write(archive, to: file)
        if json {
            context.output.print(
                JSONText.object([
                    ("base", .string(archive.checksum.description)), ("file", .string(file)),
                    ("bytes", .number(Int64(archive.bytes.count))), ("volume", .string(path)),
                ]))
        } else {
            context.output.error("base: \(archive.checksum)")
        }
    }
}
