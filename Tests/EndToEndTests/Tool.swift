import Foundation
import TestSupport

/// The built `hosted-engine` binary, run as an administrator would run it.
enum Tool {
    /// SwiftPM puts the product next to the test bundle.
    static let path: String = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("hosted-engine").path
    }()

    /// Runs the tool. Unless `inheritLocation`, HE_* variables of the test's own environment
    /// are cleared so that only what the test passes counts.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String?] = [:], inheritLocation: Bool = false) throws -> CommandResult {
        try Command.run(path, arguments, environment: cleaned(environment, inheritLocation))
    }

    /// Runs a command line as an administrator types it in sh, `hosted-engine` at its start
    /// being this tool.
    static func shell(_ line: String, environment: [String: String?] = [:]) throws -> CommandResult {
        let script = line.hasPrefix("hosted-engine ") ? "'\(path)' " + line.dropFirst("hosted-engine ".count) : line
        return try Command.shell(script, environment: cleaned(environment, false))
    }

    /// Runs the tool on a terminal of its own (util-linux `script`), typing `answer` there.
    static func runOnTerminal(_ arguments: [String], environment: [String: String?] = [:], answer: String) throws -> CommandResult {
        let command = ([path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        return try Command.run(
            "script", ["-qec", command, "/dev/null"], environment: cleaned(environment, false), stdin: Array((answer + "\n").utf8))
    }

    static func start(_ arguments: [String], environment: [String: String?] = [:]) throws -> RunningCommand {
        try Command.start(path, arguments, environment: cleaned(environment, false))
    }

    /// Environment that points the tool at `storage` the way a host is set up, with backups
    /// in the test's own directory.
    static func environment(for storage: UpstreamStorage.Storage) -> [String: String?] {
        [
            "HE_CONF": storage.hostedEngineConf, "HE_HA_CONF": storage.haConf, "HE_STORAGE_ROOT": storage.storageRoot,
            "HE_MOUNT_ROOT": storage.mountRoot, "HE_BACKUP_DIR": storage.backups,
        ]
    }

    /// A test that writes must say where backups go; this default cannot be created, so such a
    /// write fails instead of filling the machine's real backup folder.
    static let unsetBackupDirectory = "/proc/hosted-engine-tests-set-HE_BACKUP_DIR"

    private static func cleaned(_ environment: [String: String?], _ inherit: Bool) -> [String: String?] {
        var result: [String: String?] =
            inherit
            ? [:]
            : [
                "HE_CONF_VOLUME": nil, "HE_CONF": nil, "HE_HA_CONF": nil, "HE_STORAGE_ROOT": nil, "HE_BACKUP_DIR": unsetBackupDirectory,
                "HE_AUDIT_LOG": nil, "HE_TEST_SYSLOG_SOCKET": nil,
            ]
        for (key, value) in environment { result[key] = value }
        return result
    }
}
