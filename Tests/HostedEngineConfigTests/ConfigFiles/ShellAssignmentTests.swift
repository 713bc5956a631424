import Foundation
import TestSupport
import Testing

@testable import HostedEngineConfig

/// hosted-engine.conf as upstream's `hosted-engine` shell script reads it (`source`), checked
/// against bash and dash themselves.
@Suite struct ShellAssignmentTests {
    static let lines = [
        "a=1", "  a=1", "ca_subject=\"C=EN, L=Test, O=Test, CN=Test\"", "q='x y'", "mnt_options=backup-volfile-servers=gl2:gl3",
        "p=a*b?[c]", "bad line", "my-key=1", "x=a b", "y=\"open", "z=$(true)", "w=`true`", "k=a>out", "k=a<in", "k=a;true", "k=a|true",
        "k=a&&true", "k = v", "k=(x)", "e=", "u=\\ x",
    ]

    /// A line stumbles when either shell (bash is EL's /bin/sh; dash is Debian's) prints an
    /// error, fails, creates a file or runs a command on it.
    @Test func unreadableLinesAreTheOnesTheShellStumblesOn() throws {
        let shells = ["bash", "dash"].filter(Command.isAvailable)
        #expect(!shells.isEmpty)
        for line in Self.lines {
            var stumbles: [String] = []
            for shell in shells {
                let directory = try TemporaryDirectory("shell-assignment")
                _ = try directory.write("he.conf", line + "\n")
                let result = try Command.run(
                    shell, ["-c", "PATH=/nonexistent; . ./he.conf"], environment: ["PATH": "/usr/bin:/bin"],
                    currentDirectory: directory.path)
                let created = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "he.conf" }
                // `true` is a builtin, so a line that runs it prints nothing: it ran a command.
                if !result.stderr.isEmpty || result.status != 0 || !created.isEmpty || line.contains("true") {
                    stumbles.append("\(shell): \(result.stderr) \(created)")
                }
            }
            let ours = ShellAssignment.unreadableLines(line + "\n")
            #expect(ours.isEmpty == stumbles.isEmpty, "\(line): ours \(ours), the shells: \(stumbles)")
        }
    }

    @Test func aSetWarnsAboutAnotherLineTheShellCannotRead() throws {
        let before = Array("network_test=dns\nbad line\n".utf8)
        let resolution = try SharedConfig().resolve(key: "network_test", type: "he_shared")
        let edit = try #require(try SharedConfig().rules.editedFile(before, name: "hosted-engine.conf", setting: resolution, to: "none"))
        #expect(edit.notes.count == 1)
        #expect(
            edit.notes[0].hasPrefix("WARNING: hosted-engine.conf:2: upstream's hosted-engine command sources this file"), "\(edit.notes)")
    }
}
