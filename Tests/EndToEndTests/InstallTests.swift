import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// Installed like a system tool: the binary, its man page and completions, generated from the
/// binary's own tables.
@Suite struct InstallTests {
    static func install(into directory: TemporaryDirectory) throws -> String {
        let staging = directory.file("root")
        try Command.run(Fixtures.script("install"), ["--prefix", "/usr/local", "--destdir", staging, "--binary", Tool.path])
            .requireSuccess("scripts/install")
        return staging + "/usr/local"
    }

    @Test func installLaysOutTheFourFiles() throws {
        let directory = try TemporaryDirectory("install")
        let prefix = try Self.install(into: directory)
        for (path, mode) in [
            ("sbin/hosted-engine", 0o755), ("share/man/man8/hosted-engine.8", 0o644),
            ("share/bash-completion/completions/hosted-engine", 0o644), ("share/zsh/site-functions/_hosted-engine", 0o644),
        ] {
            let attributes = try FileManager.default.attributesOfItem(atPath: prefix + "/" + path)
            #expect((attributes[.posixPermissions] as? Int) == mode, "\(path)")
        }
        #expect(try Command.run(prefix + "/sbin/hosted-engine", ["--version"]).stdout.hasPrefix("hosted-engine \(ToolVersion.string)\n"))
        let relative = try Command.run(Fixtures.script("install"), ["--prefix", "usr", "--binary", Tool.path])
        #expect(relative.status == 64)
    }

    @Test func bashCompletesCommandsKeysTypesAndFiles() throws {
        let directory = try TemporaryDirectory("install-bash")
        let completion = try Self.install(into: directory) + "/share/bash-completion/completions/hosted-engine"
        func complete(_ words: [String]) throws -> [String] {
            let quoted = words.map { "'" + $0 + "'" }.joined(separator: " ")
            let script = """
                source '\(completion)'
                COMP_WORDS=(hosted-engine \(quoted)); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
                _hosted_engine
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            let result = try Command.run("bash", ["-c", script]).requireSuccess("bash completion")
            return result.stdout.split(separator: "\n").map(String.init)
        }
        #expect(try complete(["--get-sh"]) == ["--get-shared-config"])
        #expect(try complete(["--vm-st"]).contains("--vm-status"))
        #expect(try complete(["--set-shared-config", "smtp-s"]) == ["smtp-server"])
        #expect(try complete(["--set-shared-config", "--type", "he_local", "tcp_t_"]) == ["tcp_t_address", "tcp_t_port"])
        #expect(try complete(["--get-shared-config", "--type=ha", "local_"]) == ["local_maintenance", "local_maintenance_manual"])
        #expect(try complete(["--get-shared-config", "x", "--type", "he_"]) == ["he_shared", "he_local"])
        #expect(try complete(["--get-shared-config", "x", "--type=br"]) == ["--type=broker"])
        #expect(try complete(["--set-shared-config", "smtp-server", ""]).isEmpty)
        #expect(try complete(["--get-all-config", "--js"]) == ["--json"])
        let file = try directory.write("archive-to-upload.tar", "x")
        #expect(try complete(["--upload-archive", directory.path + "/archive-to-up"]) == [file])
        #expect(try complete(["--get-shared-config", "smtp-server", "--volume", directory.path + "/archive-to-up"]) == [file])
        // Every key of every type completes: the completion is made from the tool's tables.
        let all = Set(try complete(["--set-shared-config", ""]))
        #expect(all == Set(Schema.standard.types.flatMap { $0.keys.map(\.name) }))
    }

    @Test func theManPageRendersWithItsSections() throws {
        let directory = try TemporaryDirectory("install-man")
        let page = try Self.install(into: directory) + "/share/man/man8/hosted-engine.8"
        let rendered = try Command.run("man", ["-l", page], environment: ["MANPAGER": "cat", "MANWIDTH": "100"]).requireSuccess("man -l")
        for section in ["NAME", "SYNOPSIS", "COMMANDS", "TYPES AND KEYS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"] {
            #expect(rendered.stdout.contains("\n" + section + "\n"), "\(section)")
        }
        #expect(rendered.stdout.contains("--set-shared-config KEY VALUE [--type TYPE]"))
        #expect(rendered.stdout.contains("belong to upstream's hosted-engine"))
        if Command.isAvailable("zsh") {
            let zsh = (page as NSString).deletingLastPathComponent + "/../../zsh/site-functions/_hosted-engine"
            #expect(try Command.run("zsh", ["-n", zsh]).status == 0)
        }
    }

    @Test func theRpmListsItsFilesAndTheCockpitPage() throws {
        guard Command.isAvailable("rpmbuild") else {
            print("rpmbuild is not installed (scripts/install-deps installs it): the RPM is not built here")
            return
        }
        let directory = try TemporaryDirectory("install-rpm")
        let built = try Command.run(Fixtures.script("package"), ["--binary", Tool.path, "--out", directory.path]).requireSuccess(
            "scripts/package")
        let rpm = built.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let listed = try Command.run("rpm", ["-qlp", rpm]).requireSuccess("rpm -qlp").stdout
        #expect(
            listed == """
                /usr/local/sbin/hosted-engine
                /usr/local/share/bash-completion/completions/hosted-engine
                /usr/local/share/cockpit/hosted-engine
                /usr/local/share/cockpit/hosted-engine/hosted-engine.css
                /usr/local/share/cockpit/hosted-engine/hosted-engine.js
                /usr/local/share/cockpit/hosted-engine/index.html
                /usr/local/share/cockpit/hosted-engine/manifest.json
                /usr/local/share/cockpit/hosted-engine/theme.js
                /usr/local/share/cockpit/hosted-engine/tool.js
                /usr/local/share/man/man8/hosted-engine.8
                /usr/local/share/zsh/site-functions/_hosted-engine
                /usr/share/doc/hosted-engine-config
                /usr/share/doc/hosted-engine-config/CHANGELOG.md
                /usr/share/doc/hosted-engine-config/README.md
                /usr/share/licenses/hosted-engine-config
                /usr/share/licenses/hosted-engine-config/LICENSE

                """)
        // The page runs the RPM's binary by its absolute path.
        let page = try Command.shell("rpm2cpio '\(rpm)' | bsdtar -xOf - ./usr/local/share/cockpit/hosted-engine/tool.js").stdout
        #expect(page.contains("window.hostedEngineTool = \"/usr/local/sbin/hosted-engine\";"), "\(page)")
        // What the binary needs, as rpm's ELF dependency generator finds it (this debug binary
        // loads libarchive; the release binary's are checked by scripts/test-release).
        let requires = try Command.run("rpm", ["-qRp", rpm]).requireSuccess("rpm -qRp").stdout
        #expect(requires.contains("libc.so.6()(64bit)") && requires.contains("libarchive.so.13()(64bit)"), "\(requires)")
        let information = try Command.run("rpm", ["-qip", rpm]).requireSuccess("rpm -qip").stdout
        #expect(information.contains("License     : Apache-2.0"), "\(information)")
        // Its %changelog is CHANGELOG.md's, newest first.
        let changelog = try Command.run("rpm", ["-qp", "--changelog", rpm]).requireSuccess("rpm --changelog").stdout
        let derived = try Command.run(Fixtures.script("changelog"), ["--rpm"]).requireSuccess("scripts/changelog --rpm").stdout
        #expect(changelog.hasPrefix(String(derived.prefix { $0 != "\n" }) + "\n"), "\(changelog)")
        #expect(derived.hasPrefix("* ") && derived.contains(" - \(ToolVersion.string)-1\n- "), "\(derived)")
    }
}
