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

    func run() throws {
        let path = try volume.locator.locate()
        let archive = try ConfigArchive.load(from: try Volume(path: path, forWriting: false))
        try ArchiveTransfer().write(archive, to: file)
        if json {
            print(JSONText.object([
                ("base", .string(archive.checksum.description)), ("file", .string(file)),
                ("bytes", .number(Int64(archive.bytes.count))), ("volume", .string(path)),
            ]))
        } else {
            Output.error("base: \(archive.checksum)")
        }
    }
}

struct UploadArchive: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --upload-archive",
        abstract: "Replace the configuration archive with FILE, if the volume still holds BASE.",
        discussion: """
            FILE is a .tar or .tar.gz with the five members. Only editable keys may differ from \
            what the volume holds, with valid values. --force skips the base and those checks (to \
            restore an old backup), never the structural ones. The replaced archive is saved first.
            """)

    @Argument(help: "The archive to upload (.tar or .tar.gz).") var file: String
    @Option(name: .customLong("base"), help: ArgumentHelp("The checksum --download-archive printed.", valueName: "sha256:...")) var base: String?
    @Flag(name: .customLong("force"), help: "Upload whatever the volume holds now and whatever changed (a restore).") var force = false
    @OptionGroup var volume: VolumeOptions
    @OptionGroup var write: WriteOptions

    func run() throws {
        var checksum: Checksum?
        if let base {
            guard let parsed = Checksum(parsing: base) else { throw HostedEngineError.invalidBase(base) }
            checksum = parsed
        }
        switch try ArchiveTransfer().upload(file, base: checksum, force: force, locator: volume.locator, options: write.options()) {
        case .unchanged:
            Output.error("The volume already holds this archive; nothing was written.")
        case let .written(backup):
            reportBackup([backup])
        }
    }
}

struct ListBackups: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --list-backups",
        abstract: "List the archives saved before each write, oldest first.",
        discussion: "Restore one with hosted-engine --upload-archive PATH --force.")

    @Flag(name: .customLong("json"), help: "Print JSON.") var json = false
    @OptionGroup var backup: BackupOptions

    func run() throws {
        let backups = try backup.store.list()
        if json {
            print(JSONText.array(backups.map(\.json)))
            return
        }
        if backups.isEmpty {
            Output.error("No backups in \(backup.store.directory).")
        }
        for item in backups {
            print("\(TimeText.readable(item.time))  \(item.checksum)  \(item.size) bytes  \(item.path)")
        }
    }
}
