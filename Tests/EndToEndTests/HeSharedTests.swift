import ArchiveKit
import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// The shared hosted-engine.conf (type he_shared) driven as oVirt's documentation drives it.
@Suite struct HeSharedTests {
    static let limits = TarArchive.Limits(maximumMembers: 10, maximumMemberSize: 1 << 20)

    @Test(arguments: [["--style", "editor"], ["--style", "deploy"]])
    func theDocumentedCommandsChangeOnlyTheirLines(style: [String]) throws {
        let directory = try TemporaryDirectory("he-shared")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: style + ["--size", "4M"])
        let host = Tool.environment(for: storage)
        let before = try Files.readPrefix(storage.volume, count: 20480)

        for command in [
            "hosted-engine --set-shared-config --set network_test=tcp --set tcp_t_address=192.0.2.10 --set tcp_t_port=22 --type=he_shared",
            "hosted-engine --set-shared-config gateway 192.168.1.254 --type=he_shared",
        ] {
            let result = try Tool.run(Array(command.split(separator: " ").dropFirst().map(String.init)), environment: host)
            #expect(result.status == 0, "\(command): \(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("since oVirt 4.4 a new host copies /etc/ovirt-hosted-engine/hosted-engine.conf"), "\(result)")
        }
        let get = try Tool.run(["--get-shared-config", "network_test", "--type=he_shared"], environment: host)
        #expect(get.stdout == "network_test : tcp, type : he_shared\n")

        let after = try Files.readPrefix(storage.volume, count: 20480)
        let old = try TarArchive(bytes: before, limits: Self.limits)
        let new = try TarArchive(bytes: after, limits: Self.limits)
        for (oldMember, newMember) in zip(old.members, new.members) where oldMember.entry.path != "hosted-engine.conf" {
            #expect(Array(after[newMember.span]) == Array(before[oldMember.span]), "\(oldMember.entry.path) changed")
        }
        let conf = try #require(new.members.first { $0.entry.path == "hosted-engine.conf" }).contents
        let expected =
            try Fixtures.text("config-volume/hosted-engine.conf").replacingOccurrences(
                of: "gateway=192.0.2.1\n", with: "gateway=192.168.1.254\n")
            + "network_test=tcp\ntcp_t_address=192.0.2.10\ntcp_t_port=22\n"
        #expect(String(decoding: conf, as: UTF8.self) == expected)
        // The HA agent's own loop reads what was meant.
        let path = try directory.write("he.conf", conf)
        let agent = try Command.run(Fixtures.script("configparser-oracle"), ["--agent", path]).requireSuccess().stdout
        #expect(agent.contains(#"["network_test", "tcp"]"#) && agent.contains(#"["gateway", "192.168.1.254"]"#), "\(agent)")
    }

    @Test func identityAndConnectionKeysAndBadValuesAreRefusedAndNothingIsWritten() throws {
        let directory = try TemporaryDirectory("he-shared-refused")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M"])
        let host = Tool.environment(for: storage)
        let before = try Files.read(storage.volume)
        for (arguments, message) in [
            (["host_id", "2"], "host_id cannot be set with this tool: it is part of this deployment's identity"),
            (
                ["mnt_options", "backup-volfile-servers=gl2:gl3"],
                "Setting mnt_options changes how the HA agent connects the hosted-engine storage domain (a mistake stops it connecting); run this on a terminal to see the change and confirm it, or pass --force."
            ),
            (["mnt_options", "a b", "--force"], "Invalid value 'a b' for mnt_options"),
            (["storage", "nfs.example.com:/he/", "--force"], "Invalid value 'nfs.example.com:/he/' for storage"),
            (["network_test", "arp"], "Invalid value 'arp' for network_test: expected dns, ping, tcp or none."),
            (["gateway", "gw.example.com"], "Invalid value 'gw.example.com' for gateway: expected an IP address"),
            (["tcp_t_port", "0"], "Invalid value '0' for tcp_t_port: expected a port number from 1 to 65535."),
        ] {
            let result = try Tool.run(["--set-shared-config"] + arguments + ["--type=he_shared"], environment: host)
            #expect(result.status == 1, "\(arguments): \(result)")
            #expect(result.stderr.hasPrefix(message), "\(arguments): \(result.stderr)")
        }
        #expect(try Files.read(storage.volume) == before)
    }

    @Test func aCheckoutEditingTheGatewayPushesOneEditingTheHostIdIsRefusedByName() throws {
        let directory = try TemporaryDirectory("he-shared-checkout")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M"])
        let host = Tool.environment(for: storage)
        let work = directory.file("work")
        #expect(try Tool.run(["--checkout-config", work], environment: host).status == 0)
        let conf = work + "/hosted-engine.conf"
        let original = try String(contentsOfFile: conf, encoding: .utf8)
        try original.replacingOccurrences(of: "gateway=192.0.2.1", with: "gateway=192.0.2.254").write(
            toFile: conf, atomically: true, encoding: .utf8)
        let pushed = try Tool.run(["--push-config", work], environment: host)
        #expect(pushed.status == 0, "\(pushed)")
        #expect(
            try Tool.run(["--get-shared-config", "gateway", "--type", "he_shared"], environment: host).stdout
                == "gateway : 192.0.2.254, type : he_shared\n")

        let edited = try String(contentsOfFile: conf, encoding: .utf8)
        try edited.replacingOccurrences(of: "host_id=1", with: "host_id=2").write(toFile: conf, atomically: true, encoding: .utf8)
        let validate = try Tool.run(["--validate-config", work], environment: host)
        #expect(validate.status == 1)
        #expect(
            validate.stdout.hasPrefix(
                "hosted-engine.conf:8: host_id is not editable (changed from '1' to '2'); it is part of this deployment's identity"),
            "\(validate)")
        let before = try Files.read(storage.volume)
        #expect(try Tool.run(["--push-config", work], environment: host).status == 1)
        #expect(try Files.read(storage.volume) == before)
    }

    @Test func anUploadChangingIdentityKeysIsRefusedNamingEach() throws {
        let directory = try TemporaryDirectory("he-shared-upload")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "1M", "--no-ovf-store"])
        let host = Tool.environment(for: storage)
        let saved = directory.file("a.tar")
        let download = try Tool.run(["--download-archive", saved], environment: host)
        let base = try #require(download.stderr.split(separator: " ").last.map { String($0.dropLast()) })
        let members = try Fixtures.configMembers().map { member -> (name: String, bytes: [UInt8]) in
            guard member.name == "hosted-engine.conf" else { return member }
            let text = String(decoding: member.bytes, as: UTF8.self).replacingOccurrences(of: "host_id=1\n", with: "host_id=2\n")
                .replacingOccurrences(of: "gateway=192.0.2.1\n", with: "gateway=192.0.2.9\n")
                .replacingOccurrences(
                    of: "vmid=82a24281-8a25-4772-b9c9-45971e811cb3\n", with: "vmid=82a24281-8a25-4772-b9c9-45971e811cb4\n")
            return (member.name, Array(text.utf8))
        }
        let edited = try directory.write("edited.tar", try UpstreamStorage.editorArchive(members, in: directory))
        let before = try Files.read(storage.volume)
        let result = try Tool.run(["--upload-archive", edited, "--base", base], environment: host)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("hosted-engine.conf:4: vmid is not editable (changed from"), "\(result)")
        #expect(result.stderr.contains("hosted-engine.conf:8: host_id is not editable (changed from '1' to '2')"), "\(result)")
        #expect(!result.stderr.contains("gateway"))
        #expect(result.stderr.contains("Nothing was uploaded from \(edited): 2 problems above;"), "\(result)")
        #expect(try Files.read(storage.volume) == before)
    }
}
