import ArchiveKit
import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// Volumes made the way oVirt makes them, edited by the tool, then read by the three readers
/// hosts and administrators use.
@Suite struct UpstreamVolumeTests {
    static let limits = TarArchive.Limits(maximumMembers: 10, maximumMemberSize: 1 << 20)

    @Test(arguments: [["--style", "editor"], ["--style", "deploy"], ["--style", "deploy", "--shrink"]])
    func editedVolumeReadsEverywhereAndOnlyBrokerConfChanged(style: [String]) throws {
        let directory = try TemporaryDirectory("upstream")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: style)
        let sizeBefore = try Files.size(storage.volume)
        let before = try Files.readPrefix(storage.volume, count: 40960)
        let started = Int64(Date().timeIntervalSince1970)

        let result = try Tool.run(["--set-shared-config", "smtp-server", "mail.example.com"], environment: Tool.environment(for: storage))
        #expect(result.status == 0, "\(result)")
        let after = try Files.readPrefix(storage.volume, count: 40960)
        #expect(try Files.size(storage.volume) == sizeBefore)
        // The archive is one 20480-byte record; what follows it on the volume is untouched.
        #expect(after[20480...] == before[20480...])

        let old = try TarArchive(bytes: Array(before.prefix(20480)), limits: Self.limits)
        let new = try TarArchive(bytes: Array(after.prefix(20480)), limits: Self.limits)
        #expect(new.members.map(\.entry.path) == old.members.map(\.entry.path))
        for (oldMember, newMember) in zip(old.members, new.members) where oldMember.entry.path != "broker.conf" {
            #expect(Array(after[newMember.span]) == Array(before[oldMember.span]), "\(oldMember.entry.path) changed")
        }
        let broker = try #require(new.members.first { $0.entry.path == "broker.conf" })
        let oldBroker = try #require(old.members.first { $0.entry.path == "broker.conf" })
        #expect(broker.entry.modificationTime >= started)
        #expect(broker.entry.uid == oldBroker.entry.uid && broker.entry.gid == oldBroker.entry.gid)
        #expect(broker.entry.userName == oldBroker.entry.userName && broker.entry.permissions == oldBroker.entry.permissions)
        let expectedBroker = Array(
            String(decoding: oldBroker.contents, as: UTF8.self)
                .replacingOccurrences(of: "smtp-server=localhost", with: "smtp-server=mail.example.com").utf8)
        #expect(broker.contents == expectedBroker)

        var expected = Dictionary(uniqueKeysWithValues: try Fixtures.configMembers().map { ($0.name, $0.bytes) })
        expected["broker.conf"] = expectedBroker
        let gnu = try TarReaders.gnuTar(volume: storage.volume)
        #expect(gnu.contents == expected)
        #expect(gnu.names == old.members.map(\.entry.path))
        #expect(try TarReaders.bsdtar(volume: storage.volume).contents == expected)
        #expect(try TarReaders.python(volume: storage.volume).listing.contents == expected)
        // `dd | tar -tvf -` as upstream's validateConfImage runs it.
        let verbose = try Command.shell("dd if='\(storage.volume)' bs=4k status=none | tar -tvf -")
        for name in ConfigArchive.memberNames { #expect(verbose.stdout.contains(name)) }
    }

    @Test func aGetReadsUnder64KiBOfTheVolume() throws {
        let directory = try TemporaryDirectory("upstream-bytes")
        let storage = try UpstreamStorage.makeStorage(in: directory)
        let trace = directory.file("trace")
        let result = try Command.run(
            "strace",
            [
                "-f", "-qq", "-o", trace, "-e", "trace=read,pread64,readv,preadv,preadv2", "-P", storage.volume,
                Tool.path, "--get-shared-config", "smtp-server", "--volume", storage.volume,
            ])
        #expect(result.stdout == "smtp-server : localhost, type : broker\n")
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        let total = lines.compactMap { line in line.split(separator: "=").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
            .reduce(0, +)
        #expect(!lines.isEmpty)
        #expect(total > 0 && total < 64 * 1024, "read \(total) bytes: \(lines)")
    }

    @Test func findsTheVolumeFromOptionsAndEnvironment() throws {
        let directory = try TemporaryDirectory("upstream-locate")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "16M"])
        let expected = "smtp-port : 25, type : broker\n"
        // vdsm's links lead into the mount, which is where oVirt mounts it only on a real host.
        #expect(
            try Tool.run(
                ["--get-shared-config", "smtp-port"] + storage.locatorArguments, environment: ["HE_MOUNT_ROOT": storage.mountRoot]
            )
            .stdout == expected)
        #expect(try Tool.run(["--get-shared-config", "smtp-port", "--volume", storage.volume]).stdout == expected)
        #expect(try Tool.run(["--get-shared-config", "smtp-port"], environment: ["HE_CONF_VOLUME": storage.volume]).stdout == expected)
        let missing = try Tool.run([
            "--get-shared-config", "smtp-port", "--he-conf", storage.hostedEngineConf, "--storage-root", directory.file("nowhere"),
        ])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("No configuration volume at \(directory.file("nowhere"))/"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
    }

    @Test func keepsCommentsOfAHandEditedBrokerConf() throws {
        let directory = try TemporaryDirectory("upstream-comments")
        let source = directory.file("source")
        try FileManager.default.copyItem(atPath: Fixtures.path("config-volume"), toPath: source)
        try FileManager.default.removeItem(atPath: source + "/broker.conf")
        try FileManager.default.copyItem(atPath: Fixtures.path("broker-commented.conf"), toPath: source + "/broker.conf")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--from", source])
        #expect(try Tool.run(["--set-shared-config", "smtp-port", "587"], environment: Tool.environment(for: storage)).status == 0)
        let broker = try TarReaders.gnuTar(volume: storage.volume).contents["broker.conf"] ?? []
        let expected = try Fixtures.text("broker-commented.conf").replacingOccurrences(of: "smtp-port = 25", with: "smtp-port = 587")
        #expect(String(decoding: broker, as: UTF8.self) == expected)
    }
}
