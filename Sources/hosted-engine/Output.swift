import Glibc

enum Output {
    /// One message on stderr, written straight to descriptor 2.
    static func error(_ message: String) {
        let line = Array((message.hasSuffix("\n") ? message : message + "\n").utf8)
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
