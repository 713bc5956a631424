import Glibc

/// Upstream's `hosted-engine` (ovirt-hosted-engine-setup's shell script), which this tool stands
/// in front of: a command word this tool does not implement goes there. Found at
/// `HE_UPSTREAM_CLI`, else `/usr/sbin/hosted-engine`, and never this binary itself.
public struct UpstreamCli: Sendable {
    public static let defaultPath = "/usr/sbin/hosted-engine"
    public static let package = "ovirt-hosted-engine-setup"

    /// Upstream's command words (`src/bin/hosted-engine.in`), other than the two this tool has.
    public static let commandWords = [
        "--deploy", "--vm-start", "--vm-start-paused", "--vm-shutdown", "--vm-poweroff", "--vm-status", "--add-console-password",
        "--check-liveliness", "--check-deployed", "--connect-storage", "--disconnect-storage", "--console", "--set-maintenance",
        "--reinitialize-lockspace", "--clean-metadata",
    ]

    public enum Found: Sendable, Equatable {
        case found(String)
        /// Not there, or not to be run: where it was looked for, and why.
        case missing(path: String, reason: Unusable)
    }

    /// Why the file where upstream's tool should be is not run.
    public enum Unusable: Sendable, Equatable, CustomStringConvertible {
        /// stat failed: the errno.
        case notThere(Int32)
        case notExecutable
        /// Run as root, it would run as root: only a program no one else can change is run.
        case changeableByOthers
        /// This binary (installed over it, or a link to it): running it would loop.
        case thisTool

        public var description: String {
            switch self {
            case let .notThere(code): return String(cString: strerror(code))
            case .notExecutable: return "it is not an executable file"
            case .changeableByOthers: return "it is owned by another user or writable by group or others, so it is not run"
            case .thisTool: return "it is this tool itself, not upstream's"
            }
        }
    }

    /// Where upstream's tool is; `selfPath` is this binary (`/proc/self/exe`).
    public static func locate(environment: [String: String], selfPath: String = "/proc/self/exe") -> Found {
        let path = environment["HE_UPSTREAM_CLI"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
        var candidate = stat()
        guard stat(path, &candidate) == 0 else { return .missing(path: path, reason: .notThere(errno)) }
        guard candidate.st_mode & S_IFMT == S_IFREG, access(path, X_OK) == 0 else {
            return .missing(path: path, reason: .notExecutable)
        }
        // Run as root, it runs as root: only a program no one else can change.
        guard candidate.st_uid == 0 || candidate.st_uid == geteuid(), candidate.st_mode & 0o022 == 0 else {
            return .missing(path: path, reason: .changeableByOthers)
        }
        // The same file as this binary (installed over it, or a link to it) would loop.
        var this = stat()
        if stat(selfPath, &this) == 0, this.st_dev == candidate.st_dev, this.st_ino == candidate.st_ino {
            return .missing(path: path, reason: .thisTool)
        }
        return .found(path)
    }
}
