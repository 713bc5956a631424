import Glibc
import HostedEngineConfig

/// Hands a command this tool does not implement to upstream's hosted-engine: exec, so that it
/// gets the same arguments, standard streams and environment, and its exit status is ours.
enum UpstreamForwarding {
    static var located: UpstreamCli.Found {
        UpstreamCli.locate(environment: Environment.values(of: ["HE_UPSTREAM_CLI"]))
    }

    /// For --help: where upstream's tool was found, or why not.
    static var whereFound: String {
        switch located {
        case let .found(path): return "found at \(path)"
        case let .missing(path, reason): return "not found (\(path): \(reason))"
        }
    }

    /// Replaces this process with upstream's tool; returns only when that cannot be done.
    static func forward(_ arguments: [String], output: Output) -> Int32 {
        let word = arguments.first ?? ""
        guard case let .found(path) = located else {
            guard case let .missing(path, reason) = located else { return 64 }
            output.error(
                "hosted-engine: \(word) is a command of upstream's hosted-engine (package \(UpstreamCli.package)), which is not at \(path) (\(reason)); install \(UpstreamCli.package), or set HE_UPSTREAM_CLI to its path."
            )
            return 64
        }
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, &argv)
        let code = errno
        output.error("hosted-engine: cannot run upstream's \(path) for \(word): \(String(cString: strerror(code))).")
        return 1
    }
}
