import Glibc

/// Runs a program with arguments (no shell) and collects what it prints, for the commands this
/// tool asks things of (vdsm-client): standard input is /dev/null, output is bounded, and a
/// program that does not end in time is killed.
enum ChildProcess {
    struct Outcome {
        /// The exit status, or 128 + the signal that ended it.
        let status: Int32
        let output: [UInt8]
        let errors: [UInt8]
    }

    /// The first `name` on `searchPath` (a PATH value) that can be run, or nil.
    static func find(_ name: String, searchPath: String) -> String? {
        for folder in searchPath.split(separator: ":") where folder.hasPrefix("/") {
            let candidate = folder + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// A pipe whose ends close in the child (its copies on 1 and 2 stay open).
    private static func makePipe(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return true
    }

    static func run(_ executable: String, _ arguments: [String], timeout: Double, limit: Int = 1 << 20) throws -> Outcome {
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        guard Self.makePipe(&output) else { throw HostedEngineError.io(path: executable, operation: "run", errno: errno) }
        guard Self.makePipe(&errors) else {
            let code = errno
            close(output[0])
            close(output[1])
            throw HostedEngineError.io(path: executable, operation: "run", errno: code)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        let argv = [executable] + arguments
        var pointers: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        nonisolated(unsafe) let environment = environ
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, &pointers, environment)
        close(output[1])
        close(errors[1])
        defer {
            close(output[0])
            close(errors[0])
        }
        guard spawned == 0 else { throw HostedEngineError.io(path: executable, operation: "run", errno: spawned) }
        var collected: [[UInt8]] = [[], []]
        var open = [true, true]
        let deadline = TimeText.monotonicSeconds() + timeout
        var killed = false
        var chunk = [UInt8](repeating: 0, count: 65536)
        while open[0] || open[1] {
            var pollers = [output[0], errors[0]].enumerated().map { index, descriptor in
                pollfd(fd: open[index] ? descriptor : -1, events: Int16(POLLIN), revents: 0)
            }
            let left = deadline - TimeText.monotonicSeconds()
            if left <= 0 {
                kill(pid, SIGKILL)
                killed = true
                break
            }
            let ready = poll(&pollers, 2, Int32(min(left, 1) * 1000))
            if ready < 0, errno != EINTR { break }
            for index in 0..<2 where open[index] && pollers[index].revents != 0 {
                let count = read(pollers[index].fd, &chunk, chunk.count)
                if count <= 0 {
                    open[index] = false
                } else if collected[index].count < limit {
                    collected[index] += chunk[0..<min(count, limit - collected[index].count)]
                }
            }
        }
        let status = (try? SystemCalls.waitForExit(of: pid)) ?? 0
        let signal = status & 0x7F
        return Outcome(
            status: killed ? 128 + SIGKILL : (signal == 0 ? (status >> 8) & 0xFF : 128 + signal), output: collected[0], errors: collected[1]
        )
    }
}
