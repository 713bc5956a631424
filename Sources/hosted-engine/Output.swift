import Glibc
import HostedEngineConfig

/// Where a command prints: stdout for what it was asked for, stderr for messages, each after
/// erasing the progress line, so that neither lands after one.
struct Output: Sendable {
    let progress: ProgressMeter?
    let verbosity: Verbosity

    /// A line (or `terminator`) of what the command prints, on stdout.
    func print(_ text: some CustomStringConvertible, terminator: String = "\n") {
        progress?.clear()
        Swift.print(text.description, terminator: terminator)
    }

    /// One message on stderr, written straight to descriptor 2, with any control or invisible
    /// format character in it escaped: messages carry paths and values from the storage and
    /// from files vdsm can write.
    func error(_ message: String) {
        progress?.clear()
        let text = DisplayText.message(message)
        Self.write(text.hasSuffix("\n") ? text : text + "\n", to: 2)
    }

    /// What a write tells the administrator of itself (when it takes effect, what a reader now
    /// makes of other lines), on stderr, unless --quiet.
    func notes(_ notes: [String]) {
        guard verbosity != .quiet else { return }
        for note in notes { error(note) }
    }

    /// Where the archives a write replaced were saved; on stderr, so stdout stays what the
    /// command prints.
    func backups(_ paths: [String]) {
        guard verbosity != .quiet else { return }
        for path in paths { error("Saved the replaced \(path.hasSuffix(".conf") ? "file" : "archive") as \(path)") }
    }

    /// Asks on the terminal before a change that needs confirming is written; anything but yes is no.
    func confirm(_ change: String) -> Bool {
        print(change)
        print("Write this change? [y/N] ", terminator: "")
        fflush(nil)
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.filter { $0 != " " && $0 != "\t" }.lowercased())
    }

    /// Erases the progress line, if one is drawn, before the process ends.
    func finish() {
        progress?.clear()
    }

    /// `text` on `descriptor` as it is, all of it.
    static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if count <= 0 { return }
            done += count
        }
    }
}
