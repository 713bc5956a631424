import ArgumentParser
import Glibc
import HostedEngineConfig

/// How a change is written.
struct WriteOptions: ParsableArguments {
    static let defaultLockTimeout: Double = 30

    @Option(
        name: .customLong("lock-timeout"),
        help: ArgumentHelp(
            "Seconds to wait for another writer's lock on the volume.", valueName: "seconds"))
    var lockTimeout: Double = defaultLockTimeout

    @Flag(
        name: .customLong("allow-large-archive"),
        help:
            "Write an archive larger than 20480 bytes (hosts and engines before 4.2 read only the first 20480).")
    var allowLargeArchive = false

    @OptionGroup var backup: BackupOptions

    // Applied to the run's volume settings once parsed (CommandLineTool.run): it changes how volumes are opened.
    @Flag(
        name: .customLong("without-sanlock"),
        help:
            "On block storage (iSCSI, FC), write even when the sanlock lease cannot be taken (no daemon, lockspace or lease), under this host's lock alone: another host writing at the same moment could be lost."
    )
    var withoutSanlock = false

    @Option(
        name: .customLong("audit-log"),
        help: ArgumentHelp(
            "Append a line for each write to this file instead of syslog. Default: $HE_AUDIT_LOG, else syslog.", valueName: "file"))
    var auditLog: String?

    func validate() throws {
        guard lockTimeout >= 0, lockTimeout.isFinite else {
            throw ValidationError("--lock-timeout takes a number of seconds, 0 or more.")
        }
    }

    /// With `force`, vm changes are written without asking and may name a network the OVF
    /// does not list; without it they are confirmed on the terminal, when there is one.
    func options(force: Bool = false, context: ToolContext) -> SharedConfig.WriteOptions {
        Self.options(
            context: context, backups: backups, lockTimeout: lockTimeout, allowLargeArchive: allowLargeArchive, force: force,
            auditLog: auditLog)
    }

    static func options(
        context: ToolContext, backups: BackupStore = BackupOptions.store(), lockTimeout: Double = defaultLockTimeout,
        allowLargeArchive: Bool = false, force: Bool = false, auditLog: String? = nil
    ) -> SharedConfig.WriteOptions {
        let output = context.output
        // Confirmation is asked on a terminal only; elsewhere a change that needs it is refused.
        var confirm: (@Sendable (String) -> Bool)?
        if isatty(0) == 1 { confirm = { change in output.confirm(change) } }
        var options = SharedConfig.WriteOptions(
            backups: backups, lockTimeout: lockTimeout, allowLargeArchive: allowLargeArchive, force: force, confirm: confirm,
            audit: AuditLog(
                option: auditLog, environment: Environment.values(of: ["HE_AUDIT_LOG", "SUDO_USER"]), syslogSocket: context.syslogSocket))
        options.command = context.command
        options.hostId = context.locator().hostId
        return options
    }

    var backups: BackupStore { backup.store }
}
