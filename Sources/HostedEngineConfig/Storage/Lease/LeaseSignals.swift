import Glibc

/// What a lease holder does with two signals while it holds the lease: SIGPIPE is ignored, so
/// that a sanlock daemon that died makes its calls fail instead of killing the process without
/// a word (exit 141); SIGTERM, which sanlock sends to a lease's holder when the lockspace is
/// being left (ovirt-ha-agent stopping), is noted, and the next write to the volume stops there
/// and says so. Both are put back as they were when the lease is released.
final class LeaseSignals {
    /// Set by the handler; allocated before any handler can run (a signal handler may only
    /// store to memory that exists).
    nonisolated(unsafe) private static let termination: UnsafeMutablePointer<sig_atomic_t> = {
        let flag = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1)
        flag.initialize(to: 0)
        return flag
    }()

    private var savedPipe = sigaction()
    private var savedTerm = sigaction()
    private var restored = false

    init() {
        let flag = Self.termination
        _ = flag
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        sigemptyset(&ignore.sa_mask)
        sigaction(SIGPIPE, &ignore, &savedPipe)
        var note = sigaction()
        note.__sigaction_handler.sa_handler = { _ in LeaseSignals.termination.pointee = 1 }
        sigemptyset(&note.sa_mask)
        sigaction(SIGTERM, &note, &savedTerm)
    }

    /// sanlock, or someone, sent SIGTERM while the lease was held.
    var terminationRequested: Bool { Self.termination.pointee != 0 }

    func restore() {
        guard !restored else { return }
        restored = true
        sigaction(SIGTERM, &savedTerm, nil)
        sigaction(SIGPIPE, &savedPipe, nil)
    }

    deinit { restore() }
}
