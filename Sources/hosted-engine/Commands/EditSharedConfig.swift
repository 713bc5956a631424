import ArgumentParser
import HostedEngineConfig

struct EditSharedConfig: WritingCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --edit-shared-config",
        abstract: "Edit a configuration file in $VISUAL, else $EDITOR, else vi; validate; push.",
        discussion: """
            The file is checked out to a private folder. On save it is validated; problems reopen \
            it with them as comments at the top. A file saved unchanged cancels; saved empty, \
            aborts. A clean file is pushed with a compare-and-swap. On a conflict or an abort the \
            edited copy is kept and its path printed.
            """)

    @Option(name: .customLong("type"), help: "The configuration type to edit (broker, vm, he_shared, he_local, ha).") var type: String?
    @Flag(name: .customLong("force"), help: "For the engine VM's OVF: write without asking, and accept a network the OVF does not list.")
    var force = false
    @OptionGroup var volume: VolumeOptions
    @OptionGroup var write: WriteOptions

    func run(in context: ToolContext) throws {
        let environment = Environment.values(of: ["VISUAL", "EDITOR", "TMPDIR"])
        let command = ExternalEditor.command(environment: environment)
        let session = EditSession(
            options: write.options(force: force, context: context),
            temporaryRoot: environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp",
            editor: { try ExternalEditor.run(command, file: $0) })
        switch try session.run(type: type, locator: volume.locator(context)) {
        case .unchanged:
            context.output.error("Edit cancelled: no changes; nothing was written.")
        case let .pushed(backups):
            context.output.backups(backups)
        }
    }
}
