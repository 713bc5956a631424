import Glibc
import HostedEngineConfig

enum Output {
    /// One message on stderr, written straight to descriptor 2 (after erasing a progress line),
    /// with any control or invisible format character in it escaped: messages carry paths and
    /// values from the storage and from files vdsm can write.
    static func error(_ message: String) {
        CommandLineTool.progress?.clear()
        let text = DisplayText.message(message)
        raw(text.hasSuffix("\n") ? text : text + "\n")
    }

    /// `text` on stderr as it is.
    static func raw(_ text: String) {
        let line = Array(text.utf8)
        var done = 0
        while done < line.count {
            let count = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress! + done, $0.count - done) }
            if count <= 0 { return }
            done += count
        }
    }

    /// Where the archives a write replaced were saved; on stderr, so stdout stays what the
    /// command prints.
    static func backups(_ paths: [String]) {
        guard Verbosity.current != .quiet else { return }
        for path in paths { error("Saved the replaced \(path.hasSuffix(".conf") ? "file" : "archive") as \(path)") }
    }
}

/// Every `print` of this target erases a progress line first, so stdout never lands after one.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    CommandLineTool.progress?.clear()
    Swift.print(items.map { "\($0)" }.joined(separator: separator), terminator: terminator)
}
