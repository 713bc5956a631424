import Foundation
import TestSupport
import Testing

/// In front of upstream's hosted-engine: what this tool does not implement goes there.
@Suite struct UpstreamForwardingTests {
    @Test func anUnknownCommandReachesUpstreamWithItsArgumentsStreamsAndStatus() throws {
        let directory = try TemporaryDirectory("upstream-forward")
        let upstream = try directory.write(
            "hosted-engine",
            "#!/bin/sh\nprintf 'upstream got:'; printf ' [%s]' \"$@\"; echo\nread line; echo \"stdin: $line\"; echo oops >&2; exit 7\n")
        chmod(upstream, 0o755)
        for arguments in [
            ["--vm-status", "--json"], ["--set-maintenance", "--mode=local"], ["--vm-status", "--help"], ["--new-upstream-word", "a b"],
        ] {
            let result = try Command.run(
                Tool.path, arguments, environment: ["HE_UPSTREAM_CLI": upstream], stdin: Array("hello\n".utf8))
            #expect(result.status == 7, "\(arguments): \(result)")
            #expect(result.stdout == "upstream got:" + arguments.map { " [\($0)]" }.joined() + "\nstdin: hello\n", "\(arguments)")
            #expect(result.stderr == "oops\n")
        }
        // No wrapper process is left: upstream sees this process's pid (exec, not a child).
        let pidScript = try directory.write("pid", "#!/bin/sh\necho $$\n")
        chmod(pidScript, 0o755)
        let process = try Command.start(Tool.path, ["--vm-status"], environment: ["HE_UPSTREAM_CLI": pidScript])
        let pid = process.pid
        #expect(process.wait().stdout == "\(pid)\n")
    }

    @Test func withoutUpstreamItSaysWhichPackageProvidesIt() throws {
        let directory = try TemporaryDirectory("upstream-missing")
        let missing = directory.file("nowhere")
        let result = try Command.run(Tool.path, ["--vm-status"], environment: ["HE_UPSTREAM_CLI": missing])
        #expect(result.status == 64)
        #expect(
            result.stderr
                == "hosted-engine: --vm-status is a command of upstream's hosted-engine (package ovirt-hosted-engine-setup), which is not at \(missing) (No such file or directory); install ovirt-hosted-engine-setup, or set HE_UPSTREAM_CLI to its path.\n"
        )
        // This binary itself, or a link to it, is never taken for upstream's.
        let link = directory.file("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: Tool.path)
        for path in [Tool.path, link] {
            let looped = try Command.run(Tool.path, ["--deploy"], environment: ["HE_UPSTREAM_CLI": path])
            #expect(looped.status == 64)
            #expect(looped.stderr.contains("(it is this tool itself, not upstream's)"), "\(looped)")
        }
        // --help names where upstream's tool is, and a slip of this tool's own words is still answered here.
        let help = try Command.run(Tool.path, ["--help"], environment: ["HE_UPSTREAM_CLI": missing])
        #expect(
            help.stdout.contains(
                "go to upstream's hosted-engine, with\ntheir arguments: not found (\(missing): No such file or directory)."))
        let slip = try Command.run(Tool.path, ["--get-shred-config"], environment: ["HE_UPSTREAM_CLI": missing])
        #expect(slip.stderr.contains("Did you mean --get-shared-config?"))
        // A word neither tool has, with no upstream tool to ask: this tool's own list.
        let unknown = try Command.run(Tool.path, ["--frobnicate"], environment: ["HE_UPSTREAM_CLI": missing])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.hasPrefix("hosted-engine: unknown command --frobnicate; the commands are --get-shared-config,"))
    }

    /// Run as root, upstream's tool runs as root: one that another user owns, or that group or
    /// others may write (vdsm could replace it), is not run; one line says why.
    @Test(.enabled(if: geteuid() == 0, "needs root to give the program to another user"))
    func anUpstreamToolOthersCanChangeIsNotRun() throws {
        let directory = try TemporaryDirectory("upstream-attack")
        let canary = directory.file("ran")
        for (name, mode, owner) in [("writable", 0o777, uid_t(0)), ("group", 0o775, 0), ("vdsm", 0o755, 36)] {
            let program = try directory.write(name, "#!/bin/sh\ntouch '\(canary)'\n")
            chmod(program, mode_t(mode))
            chown(program, owner, 0)
            let result = try Command.run(Tool.path, ["--vm-status"], environment: ["HE_UPSTREAM_CLI": program])
            #expect(result.status == 64, "\(name): \(result)")
            #expect(
                result.stderr.contains("(it is owned by another user or writable by group or others, so it is not run)"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: canary), "\(name) ran")
        }
    }
}
