import Foundation
import TestSupport
import Testing

/// Every write leaves one line in the audit trail: a file, or syslog.
@Suite struct AuditTrailTests {
    @Test func eachKindOfWriteAppendsALine() throws {
        let setup = try VmConfigTests.Setup("audit-file")
        let log = setup.directory.file("audit.log")
        var host = setup.host
        host["HE_AUDIT_LOG"] = log
        host["SUDO_USER"] = "alice"
        func run(_ arguments: [String]) throws {
            let result = try Tool.run(arguments, environment: host)
            #expect(result.status == 0, "\(arguments): \(result)")
        }
        func lines() throws -> [String] {
            try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        }
        try run(["--set-shared-config", "smtp-port", "587"])
        try run(["--set-shared-config", "network_test", "dns", "--type=he_local"])
        try run(["--set-shared-config", "password", "s3cret", "--type=he_local", "--force"])
        try run(["--set-shared-config", "local_maintenance", "True"])
        try run(["--set-shared-config", "mem_size", "20480", "--force"])
        let saved = setup.directory.file("archive.tar")
        let download = try Tool.run(["--download-archive", saved], environment: host)
        let base = try #require(download.stderr.split(separator: " ").last.map { String($0.dropLast()) })
        try run(["--upload-archive", saved, "--base", base])  // unchanged: no line
        let work = setup.directory.file("work")
        try run(["--checkout-config", work])
        let broker = work + "/broker.conf"
        try (try String(contentsOfFile: broker, encoding: .utf8)).replacingOccurrences(of: "smtp-port=587", with: "smtp-port=2525")
            .write(toFile: broker, atomically: true, encoding: .utf8)
        try run(["--push-config", work])
        let editor = try setup.directory.write("editor.sh", "#!/bin/sh\nsed -i 's/^smtp-server=.*/smtp-server=relay.example.com/' \"$1\"\n")
        chmod(editor, 0o755)
        host["EDITOR"] = editor
        try run(["--edit-shared-config", "--type", "broker"])
        try run(["--upload-archive", saved, "--force"])
        let listed = try #require(
            try JSONSerialization.jsonObject(with: Data(try Tool.run(["--list-backups", "--json"], environment: host).stdoutBytes))
                as? [[String: Any]])
        let haBackup = try #require(listed.first { $0["kind"] as? String == "ha-conf" }?["id"] as? String)
        try run(["--restore-backup", haBackup, "--force"])

        let written = try lines()
        let actions = written.map { $0.components(separatedBy: " action=").last?.split(separator: " ").first.map(String.init) ?? "" }
        #expect(actions == ["set", "set", "set", "set", "set", "set", "push", "edit", "restore", "restore"], "\(written)")
        for line in written {
            #expect(
                line.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ host=\S+ user=\S+ sudo_user=alice action="#, options: .regularExpression)
                    != nil, "\(line)")
            #expect(line.contains(" before=") && line.contains(" after=sha256:"), "\(line)")
        }
        #expect(
            written[0].contains("target=\(setup.storage.volumeLink) type=broker changes=[email.smtp-port: '25' -> '587'] before=sha256:"))
        #expect(written[1].contains("target=\(setup.storage.hostedEngineConf) type=he_local changes=[network_test: (not set) -> 'dns']"))
        #expect(written[2].contains("changes=[password: (secret) -> (secret)]") && !written[2].contains("s3cret"), "\(written[2])")
        #expect(written[3].contains("type=ha changes=[local_maintenance: 'False' -> 'True']"))
        #expect(written[4].contains("type=vm changes=[vm mem_size: '16384' -> '20480']") && written[5].contains("vm mem_size"))
        #expect(Set([written[4], written[5]].map { $0.components(separatedBy: " target=")[1].split(separator: " ")[0] }).count == 2)
        #expect(written[6].contains("changes=[broker.conf: email.smtp-port: '587' -> '2525']"), "\(written[6])")
        #expect(written[7].contains("changes=[broker.conf: email.smtp-server: 'localhost' -> 'relay.example.com']"), "\(written[7])")
        #expect(written[8].contains("broker.conf: email.smtp-port: '2525' -> '587'"), "\(written[8])")
        #expect(written[9].contains("type=ha changes=[ha.conf: local_maintenance: 'True' -> 'False']"), "\(written[9])")
    }

    @Test func withoutAFileItGoesToSyslog() throws {
        let directory = try TemporaryDirectory("audit-syslog")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let socket = directory.file("log")
        let received = directory.file("received")
        // A syslog of the test's own: a datagram socket, what arrives written to a file.
        let listener = try Command.start(
            "python3",
            [
                "-c",
                "import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1]); open(sys.argv[2]+'.ready','w'); s.settimeout(20); d=s.recv(65536); open(sys.argv[2],'wb').write(d)",
                socket, received,
            ])
        while !FileManager.default.fileExists(atPath: received + ".ready") { usleep(10_000) }
        var host = Tool.environment(for: storage)
        host["HE_TEST_SYSLOG_SOCKET"] = socket
        #expect(try Tool.run(["--set-shared-config", "smtp-port", "2525"], environment: host).status == 0)
        _ = listener.wait()
        let message = try String(contentsOfFile: received, encoding: .utf8)
        #expect(message.hasPrefix("<14>"), "\(message)")
        #expect(
            message.range(
                of: #"^<14>\w{3} [ \d]\d \d\d:\d\d:\d\d hosted-engine\[\d+\]: host=\S+ user=\S+ action=set target="#,
                options: .regularExpression) != nil, "\(message)")
        #expect(message.contains("type=broker changes=[email.smtp-port: '25' -> '2525']"))
    }
}
