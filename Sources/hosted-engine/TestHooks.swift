import ArgumentParser
import Glibc
import HostedEngineConfig

/// What the tests change in how the tool runs, from `HE_TEST_*` variables: a crash after N
/// bytes or a step of a local write, the progress line's delay, a per-host lock folder, a pause
/// after a write's compare, a syslog socket of the test's own. Compiled only into debug builds
/// (Package.swift defines HE_TEST_HOOKS for them: the tests' and the stress scripts'); the
/// release binary neither reads these variables nor holds their names.
enum TestHooks {
    #if HE_TEST_HOOKS
        static let names = [
            "HE_TEST_CRASH_AFTER_BYTES", "HE_TEST_CRASH_LOCAL_WRITE", "HE_TEST_PROGRESS_AFTER_SECONDS", "HE_TEST_HOST_LOCK_DIR",
            "HE_TEST_WRITE_DELAY_MS", "HE_TEST_SYSLOG_SOCKET",
        ]

        /// The hooks the environment sets, applied to `settings`; the progress line's delay.
        static func apply(to settings: inout Volume.Settings) throws -> (progressDelay: Double?, syslogSocket: String?) {
            let environment = Environment.values(of: names)
            if let text = environment["HE_TEST_CRASH_AFTER_BYTES"] {
                guard let bytes = Int64(text), bytes >= 0 else {
                    throw ValidationError("HE_TEST_CRASH_AFTER_BYTES (test only) must be a number of bytes, not \(text).")
                }
                settings.crashPoint = CrashPoint(afterBytes: bytes, action: .exitProcess)
            }
            if let text = environment["HE_TEST_CRASH_LOCAL_WRITE"] {
                guard let step = InPlaceWriteStep(rawValue: text) else {
                    throw ValidationError(
                        "HE_TEST_CRASH_LOCAL_WRITE (test only) must be one of \(InPlaceWriteStep.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)."
                    )
                }
                settings.crashLocalWriteAfter = step
            }
            var delay: Double?
            if let text = environment["HE_TEST_PROGRESS_AFTER_SECONDS"] {
                guard let seconds = Double(text), seconds >= 0 else {
                    throw ValidationError("HE_TEST_PROGRESS_AFTER_SECONDS (test only) must be a number of seconds, not \(text).")
                }
                delay = seconds
            }
            settings.hostLockDirectory = environment["HE_TEST_HOST_LOCK_DIR"].flatMap { $0.isEmpty ? nil : $0 }
            if let text = environment["HE_TEST_WRITE_DELAY_MS"] {
                guard let milliseconds = Double(text), milliseconds >= 0, milliseconds <= 10_000 else {
                    throw ValidationError("HE_TEST_WRITE_DELAY_MS (test only) must be a number of milliseconds up to 10000, not \(text).")
                }
                settings.delayAfterCompare = milliseconds / 1000
            }
            return (delay, environment["HE_TEST_SYSLOG_SOCKET"].flatMap { $0.isEmpty ? nil : $0 })
        }
    #else
        static func apply(to settings: inout Volume.Settings) throws -> (progressDelay: Double?, syslogSocket: String?) {
            (nil, nil)
        }
    #endif
}
