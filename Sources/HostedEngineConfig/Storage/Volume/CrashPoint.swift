import Glibc

/// Test only: a write that stops after a given number of bytes, as a crash would.
public struct CrashPoint: Sendable {
    public enum Action: Sendable {
        /// Exit at once with status 137, as SIGKILL would (`HE_TEST_CRASH_AFTER_BYTES`).
        case exitProcess
        /// Throw `SimulatedCrash`, for tests that crash many times in one process.
        case throwError
    }

    public let afterBytes: Int64
    public let action: Action

    public init(afterBytes: Int64, action: Action) {
        self.afterBytes = afterBytes
        self.action = action
    }

    func fire() throws -> Never {
        switch action {
        case .exitProcess: _exit(137)
        case .throwError: throw SimulatedCrash()
        }
    }
}
