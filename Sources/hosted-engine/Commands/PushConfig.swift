import ArgumentParser
import HostedEngineConfig

struct PushConfig: WritingCommand {
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

    func run(in context: ToolContext) throws {
        let copy = try WorkingCopy(opening: directory, volumeSettings: context.locator().volumeSettings)
        switch try copy.push(schema: .standard, options: write.options(force: force, context: context), rebase: rebase, dryRun: dryRun) {
        case .nothingToPush:
            context.output.print("Nothing to push: \(directory) matches its base.")
        case let .dryRun(changes, rebased, vmChanges):
            context.output.print("Would push to \(copy.volumePath)\(rebased ? ", rebased onto the volume's changes" : ""):")
            for line in describe(changes) + vmChanges { context.output.print("  " + line) }
            context.output.print("Dry run: nothing was written.")
        case let .pushed(changes, rebased, vmChanges, backups):
            context.output.print("Pushed to \(copy.volumePath)\(rebased ? ", rebased onto the volume's changes" : ""):")
            for line in describe(changes) + vmChanges { context.output.print("  " + line) }
            context.output.backups(backups)
        }
    }

    private func describe(_ changes: ConfigChanges) -> [String] {
        changes.keyChanges.map { change in
            "\(change.member) \(change.label): \(change.shown(change.old)) -> \(change.shown(change.new))"
        }
            + changes.changedMembers.filter { member in !changes.keyChanges.contains { $0.member == member } }.map {
                "\($0): comments or spacing"
            }
    }
}
