import Glibc

/// The audit trail: one line for every write (set, upload, push, restore, edit), to a file
/// (`--audit-log FILE`, `HE_AUDIT_LOG`) or to syslog (facility user, tag `hosted-engine`): the
/// time, the host, the user (and the one behind sudo), what was written where, the changes
/// (secrets masked) and the checksums before and after.
public struct AuditLog: Sendable {
    public enum Destination: Sendable, Equatable {
        /// Appended to, created 0600.
        case file(String)
        /// A syslog datagram socket (`/dev/log`).
        case syslog(socket: String)
    }

    public let destination: Destination
    /// Who runs the tool: the user, and `sudo_user=` the one behind sudo (`SUDO_USER`).
    public let user: String

    public init(destination: Destination, user: String) {
        self.destination = destination
        self.user = user
    }

    /// `--audit-log`, else `HE_AUDIT_LOG`, else syslog through `syslogSocket`.
    public init(option: String?, environment: [String: String], syslogSocket: String = "/dev/log") {
        let file = [option, environment["HE_AUDIT_LOG"]].compactMap { $0 }.first { !$0.isEmpty }
        self.init(
            destination: file.map(Destination.file) ?? .syslog(socket: syslogSocket), user: Self.currentUser(environment: environment))
    }

    /// The user running the tool, and ` sudo_user=` the one behind sudo.
    public static func currentUser(environment: [String: String]) -> String {
        var name = String(getuid())
        if let entry = getpwuid(getuid()) { name = DisplayText.printable(String(cString: entry.pointee.pw_name)) }
        if let sudo = environment["SUDO_USER"], !sudo.isEmpty { name += " sudo_user=\(DisplayText.printable(sudo))" }
        return name
    }

    /// One write, as the line says it.
    public struct Event: Sendable, Equatable {
        public let action: String
        public let target: String
        public let type: String?
        /// `key: 'old' -> 'new'`, secrets already masked.
        public let changes: [String]
        public let before: String?
        public let after: String?

        public init(action: String, target: String, type: String?, changes: [String], before: String?, after: String?) {
            self.action = action
            self.target = target
            self.type = type
            self.changes = changes
            self.before = before
            self.after = after
        }
    }

    /// The line for `event`, without the time (the file form adds it; syslog has its own).
    public func line(_ event: Event) -> String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let fields = [
            "host=\(hostName)", "user=\(user)", "action=\(event.action)", "target=\(DisplayText.printable(event.target))",
            event.type.map { "type=\($0)" }, "changes=[\(event.changes.map { DisplayText.printable($0) }.joined(separator: "; "))]",
            "before=\(event.before ?? "-")", "after=\(event.after ?? "-")",
        ]
        return fields.compactMap { $0 }.joined(separator: " ")
    }

    /// Appends the line; a failure is returned as words (the write it records already happened).
    public func record(_ event: Event) -> String? {
        let text = line(event)
        switch destination {
        case let .file(path):
            let descriptor: Int32
            do {
                descriptor = try SystemCalls.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode: 0o600)
            } catch {
                return "cannot open the audit log \(path): \(String(cString: strerror(error.rawValue)))"
            }
            defer { close(descriptor) }
            let entry = Array((TimeText.iso(TimeText.now()) + " " + text + "\n").utf8)
            do {
                try SystemCalls.writeAll(descriptor, entry)
                try SystemCalls.synchronize(descriptor)
            } catch {
                return "cannot write the audit log \(path): \(String(cString: strerror(error.rawValue)))"
            }
            return nil
        case let .syslog(socket):
            return Self.sendSyslog(text, to: socket)
        }
    }

    /// RFC 3164 to a local datagram socket: `<14>` is facility user, severity info.
    static func sendSyslog(_ text: String, to path: String) -> String? {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return "cannot open a socket for syslog: \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return "the syslog socket path \(path) is too long" }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in pathBytes.enumerated() { buffer[index] = byte }
        }
        let message = Array("<14>\(TimeText.syslog(TimeText.now())) hosted-engine[\(getpid())]: \(text)".utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                message.withUnsafeBytes {
                    sendto(descriptor, $0.baseAddress, $0.count, 0, socketAddress, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        // No syslog listening (a container without journald): silent, as libc's syslog(3) is.
        if sent < 0, [ENOENT, ECONNREFUSED, ENOTSOCK].contains(errno) { return nil }
        return sent < 0 ? "cannot send to syslog at \(path): \(String(cString: strerror(errno)))" : nil
    }
}
