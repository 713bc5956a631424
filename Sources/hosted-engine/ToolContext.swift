import ArgumentParser
import Glibc
import HostedEngineConfig

/// What one run of the tool works with, made once in main.swift and handed down to the command:
/// the command line keeps no process-wide state.
struct ToolContext {
    let verbosity: Verbosity
    /// Where the command prints, and the progress line it erases first.
    let output: Output
    /// How volumes are opened: as vdsm when root, notices through the logger, a write's
    /// `--without-sanlock`, and in debug builds the tests' hooks.
    var volumeSettings: Volume.Settings
    /// Where the audit trail's syslog lines go: /dev/log, or in a test a socket of its own.
    let syslogSocket: String
    /// The command word, and what it acts on, for the shared history (`--set-shared-config KEY`).
    var command = "hosted-engine"

    /// The context for `verbosity`; fails on a test hook given a value it cannot take.
    init(verbosity: Verbosity) throws {
        self.verbosity = verbosity
        var settings = Volume.Settings(access: .vdsmWhenRoot)
        let hooks = try TestHooks.apply(to: &settings)
        // The progress line only when stderr is a terminal and not --quiet, after a second of work.
        let progress =
            isatty(2) == 1 && verbosity != .quiet ? ProgressMeter(delay: hooks.progressDelay ?? 1) { Output.write($0, to: 2) } : nil
        output = Output(progress: progress, verbosity: verbosity)
        let logger = verbosity.logger(writingTo: output)
        settings.logger = logger
        settings.report = { logger.notice("\($0)") }
        settings.progress = progress
        volumeSettings = settings
        syslogSocket = hooks.syslogSocket ?? "/dev/log"
    }

    /// Locates volumes as the options and the environment say, opening them with this run's settings.
    func locator(
        volume: String? = nil, hostedEngineConf: String? = nil, haConf: String? = nil, storageRoot: String? = nil, ovfStores: [String] = []
    ) -> VolumeLocator {
        VolumeLocator(
            volume: volume, hostedEngineConf: hostedEngineConf, haConf: haConf, storageRoot: storageRoot, ovfStores: ovfStores,
            environment: Environment.values(of: VolumeLocator.environmentNames), volumeSettings: volumeSettings)
    }
}
