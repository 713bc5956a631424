import Glibc

/// The administrator's editor: `$VISUAL`, else `$EDITOR`, else `vi`, run through the shell as
/// git does, so a value with arguments (`emacs -nw`) works.
public enum ExternalEditor {
    public static func command(environment: [String: String]) -> String {
        [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
    }

    /// Runs `command` on `file`, on this process's terminal, and returns its exit status
    /// (128 + the signal when it was killed).
    public static func run(_ command: String, file: String) throws -> Int32 {
        let arguments = ["sh", "-c", command + " \"$1\"", "sh", file]
        var pointers: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        nonisolated(unsafe) let environment = environ
        // Ctrl-C and Ctrl-\ are the editor's while it runs, as git has it: this process ignores
        // them and the editor gets the default handling back.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGQUIT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        let interrupt = signal(SIGINT, SIG_IGN)
        let quit = signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, interrupt)
            signal(SIGQUIT, quit)
        }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", nil, &attributes, &pointers, environment)
        guard spawned == 0 else {
            throw HostedEngineError.io(path: command, operation: "start the editor", errno: spawned)
        }
        let status: Int32
        do {
            status = try SystemCalls.waitForExit(of: pid)
        } catch {
            throw HostedEngineError.io(path: command, operation: "wait for the editor", errno: error.rawValue)
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
