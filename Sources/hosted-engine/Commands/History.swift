import ArgumentParser
import HostedEngineConfig

struct History: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosted-engine --history",
        abstract: "List every version of the configuration archive in the shared history, newest first: from any host.",
        discussion: """
            Each write, from any host, keeps the version it writes on the shared storage (the last \
            \(SharedHistory.slotCount); the oldest is dropped first). See one with --show-version ID; \
            restore one with --restore-backup ID, or one key of it with --restore-backup ID --key KEY.
            """)

    @Flag(name: .customLong("json"), help: "Print JSON: an array of versions, newest first.") var json = false
    @OptionGroup var volume: VolumeOptions

    func run(in context: ToolContext) throws {
        let listing = try HistoryBrowser().listing(locator: volume.locator(context))
        if json {
            context.output.print(JSONText.array(listing.versions.map { $0.json(current: $0.sequence == listing.current) }))
            return
        }
        if listing.location == .none { throw HostedEngineError.noSharedHistory(path: listing.volume) }
        if let cut = listing.notCompleted {
            context.output.error(
                "\(cut.id) was being written when its writer stopped, and never reached the volume; the next write replaces it.")
        }
        if let pending = listing.pending {
            context.output.error(
                "v\(pending) is pending in the write journal (its write was cut short): the next command that reads the volume completes it."
            )
        }
        if listing.damagedSlots > 0 {
            context.output.error(
                "\(listing.damagedSlots) slot\(listing.damagedSlots == 1 ? "" : "s") of the history hold\(listing.damagedSlots == 1 ? "s" : "") no whole version (cut short, or left from earlier use of the storage); the next writes replace them."
            )
        }
        guard !listing.versions.isEmpty else {
            context.output.error("No versions in the shared history of \(listing.volume) yet; every write adds one.")
            return
        }
        context.output.print(HistoryEntry.listingHeader)
        for entry in listing.versions { context.output.print(entry.line(current: entry.sequence == listing.current)) }
        let count = listing.versions.count
        context.output.print(
            "\(count) version\(count == 1 ? "" : "s") (the last \(SharedHistory.slotCount) are kept); see one with hosted-engine --show-version ID, restore one with hosted-engine --restore-backup ID"
        )
    }
}
