import ArgumentParser
import Glibc
import HostedEngineConfig

struct CheckoutConfig: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --checkout-config",
        abstract: "Extract the configuration into DIR to edit, review and push offline.",
        discussion: """
            DIR (new or empty) is created 0700 with each file 0600. DIR/.hosted-engine/ records the \
            volume, the base checksum and a pristine copy of the archive.
            """)

    @Argument(help: "The working directory to create.") var directory: String
    @Option(name: .customLong("type"), help: "vm: also check out the engine VM's OVF from the OVF_STORE.") var type: String?
    @OptionGroup var volume: VolumeOptions

    func run() throws {
        let types = try SharedConfig().types(named: type)
        let locator = volume.locator
        let source = try Volume(path: try locator.locate(), forWriting: false)
        let withOvf = type != nil && types.contains { $0.storage == .ovfStore }
        let copy = try WorkingCopy.checkout(from: source, into: directory, ovfFrom: withOvf ? locator : nil)
        print("Checked out \(copy.volumePath) into \(directory) (base \(copy.base.checksum))"
            + (copy.ovf.map { ", with the engine VM's OVF \($0.member)" } ?? "") + ".")
    }
}

struct ConfigStatus: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --config-status",
        abstract: "Show which files and keys changed in DIR, and whether the volume moved on since checkout.")

    @Argument(help: "The working directory.") var directory: String
    @Flag(name: .customLong("json"), help: "Print JSON.") var json = false
    @Flag(name: .customLong("show-secrets"), help: "Show the values of secret keys (the iSCSI password).") var showSecrets = false

    func run() throws {
        let status = try WorkingCopy(opening: directory).status(schema: .standard)
        print(json ? status.json(showSecrets: showSecrets).description : status.text(showSecrets: showSecrets))
    }
}

struct ConfigDiff: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --config-diff",
        abstract: "Print a unified diff of DIR against its base.",
        discussion: "Exit status as diff's: 0 no difference, 1 differences, 2 error.")

    @Argument(help: "The working directory.") var directory: String
    @Flag(name: .customLong("show-secrets"), help: "Show the values of secret keys (the iSCSI password).") var showSecrets = false

    static func exitCode(for error: HostedEngineError) -> Int32 { 2 }

    func run() throws {
        let diff = try WorkingCopy(opening: directory).diff(schema: .standard, showSecrets: showSecrets)
        if diff.isEmpty { return }
        print(diff, terminator: "")
        throw ExitCode(1)
    }
}

struct ValidateConfig: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --validate-config",
        abstract: "Print every problem in DIR as FILE:LINE: message; exit 1 if there is any.")

    @Argument(help: "The working directory.") var directory: String
    @Flag(name: .customLong("json"), help: "Print {\"problems\": [{\"file\", \"line\", \"message\"}]}.") var json = false

    func run() throws {
        let problems = try WorkingCopy(opening: directory).problems(schema: .standard)
        if json {
            print(JSONText.object([("problems", .array(problems.map(\.json)))]))
        } else {
            for problem in problems { print(problem) }
        }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}

struct PushConfig: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --push-config",
        abstract: "Validate DIR, then write its changes to the volume with a compare-and-swap against its base.",
        discussion: """
            When the volume changed since checkout, exits 3 listing what changed there and leaves DIR \
            as it was. --rebase merges key by key when the changes do not overlap, and lists each \
            overlapping key (base, local and volume values) when they do.
            """)

    @Argument(help: "The working directory.") var directory: String
    @Flag(name: .customLong("dry-run"), help: "Validate and show what would be written; write nothing.") var dryRun = false
    @Flag(name: .customLong("rebase"), help: "Merge onto what changed on the volume when the changes do not overlap.") var rebase = false
    @Flag(name: .customLong("force"), help: "For the engine VM's OVF: write without asking, and accept a network the OVF does not list.")
    var force = false
    @OptionGroup var write: WriteOptions

    func run() throws {
        let copy = try WorkingCopy(opening: directory)
        switch try copy.push(schema: .standard, options: write.options(force: force), rebase: rebase, dryRun: dryRun) {
        case .nothingToPush:
            print("Nothing to push: \(directory) matches its base.")
        case let .dryRun(changes, rebased, vmChanges):
            print("Would push to \(copy.volumePath)\(rebased ? ", rebased onto the volume's changes" : ""):")
            for line in describe(changes) + vmChanges { print("  " + line) }
            print("Dry run: nothing was written.")
        case let .pushed(changes, rebased, vmChanges, backups):
            print("Pushed to \(copy.volumePath)\(rebased ? ", rebased onto the volume's changes" : ""):")
            for line in describe(changes) + vmChanges { print("  " + line) }
            reportBackup(backups)
        }
    }

    private func describe(_ changes: ConfigChanges) -> [String] {
        changes.keyChanges.map { change in
            let show = { (value: String?) in change.isSecret ? "(secret)" : value.map { "'\($0)'" } ?? "(not set)" }
            return "\(change.member) \(change.label): \(show(change.old)) -> \(show(change.new))"
        } + changes.changedMembers.filter { member in !changes.keyChanges.contains { $0.member == member } }.map { "\($0): comments or spacing" }
    }
}

struct EditSharedConfig: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --edit-shared-config",
        abstract: "Edit a configuration file in $VISUAL, else $EDITOR, else vi; validate; push.",
        discussion: """
            The file is checked out to a private folder. On save it is validated; problems reopen \
            it with them as comments at the top. A file saved unchanged cancels; saved empty, \
            aborts. A clean file is pushed with a compare-and-swap. On a conflict or an abort the \
            edited copy is kept and its path printed.
            """)

    @Option(name: .customLong("type"), help: "The configuration type to edit (broker, vm).") var type: String?
    @Flag(name: .customLong("force"), help: "For the engine VM's OVF: write without asking, and accept a network the OVF does not list.")
    var force = false
    @OptionGroup var volume: VolumeOptions
    @OptionGroup var write: WriteOptions

    func run() throws {
        let environment = Environment.values(of: ["VISUAL", "EDITOR", "TMPDIR"])
        let command = ExternalEditor.command(environment: environment)
        let session = EditSession(
            options: write.options(force: force), temporaryRoot: environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp",
            editor: { try ExternalEditor.run(command, file: $0) })
        switch try session.run(type: type, locator: volume.locator) {
        case .unchanged:
            Output.error("Edit cancelled: no changes; nothing was written.")
        case let .pushed(backups):
            reportBackup(backups)
        }
    }
}
