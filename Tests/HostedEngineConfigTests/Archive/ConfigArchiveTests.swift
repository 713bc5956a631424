import ArchiveKit
import Foundation
import HostedEngineConfig
import TestSupport
import Testing

@Suite struct ConfigArchiveTests {
    func volume(_ archive: [UInt8], in directory: TemporaryDirectory, size: Int64 = 1 << 30) throws -> Volume {
        let path = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: archive, size: size)
        return try Volume(path: path, forWriting: true)
    }

    @Test(arguments: ["editor", "deploy"])
    func readsUpstreamVolumesAndOnlyTheArchive(style: String) throws {
        let directory = try TemporaryDirectory("archive-read")
        let members = try Fixtures.configMembers()
        let tar =
            style == "editor"
            ? try UpstreamStorage.editorArchive(members, in: directory)
            : try UpstreamStorage.deployArchive(Array(members.reversed()), in: directory)
        let archive = try ConfigArchive(reading: try volume(tar, in: directory))
        #expect(archive.bytes == tar)
        #expect(archive.bytes.count == 20480)
        #expect(archive.bytesRead <= 40960)
        #expect(archive.checksum == Checksum(of: tar))
        for member in members {
            #expect(archive.contents(of: member.name) == member.bytes)
        }
    }

    @Test func readsAVolumeShrunkToTheArchive() throws {
        let directory = try TemporaryDirectory("archive-shrunk")
        let tar = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        let archive = try ConfigArchive(reading: try volume(tar, in: directory, size: 20480))
        #expect(archive.bytes == tar)
    }

    @Test func ignoresAnOlderLongerArchiveBehindIt() throws {
        let directory = try TemporaryDirectory("archive-older")
        let older = try TarWriter(format: .ustar, recordSize: 20480)
        for number in 0..<10 { try older.append(TarEntry(path: "old\(number)"), contents: [UInt8](repeating: 65, count: 5000)) }
        let path = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: try older.finish())
        let tar = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        try Files.overwrite(path, with: tar)
        let archive = try ConfigArchive(reading: try Volume(path: path, forWriting: false))
        #expect(archive.bytes == tar)
        #expect(archive.tar.members.map(\.entry.path) == ConfigArchive.memberNames)
    }

    @Test func replacingAMemberKeepsTheOthersAndOneRecord() throws {
        let directory = try TemporaryDirectory("archive-replace")
        let tar = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        let archive = try ConfigArchive(bytes: tar, origin: "test")
        let broker = Array("[email]\nsmtp-server=mail.example.com\n".utf8)
        let result = try archive.replacing(member: "broker.conf", with: broker, modificationTime: 1_800_000_000, allowLargeArchive: false)
        #expect(result.count == 20480)
        let reread = try ConfigArchive(bytes: result, origin: "result")
        #expect(reread.contents(of: "broker.conf") == broker)
        for name in ConfigArchive.memberNames where name != "broker.conf" {
            #expect(Array(result[reread.member(named: name)!.span]) == Array(tar[archive.member(named: name)!.span]))
        }
    }

    @Test func refusesToGrowPastOneRecordUnlessAllowed() throws {
        let directory = try TemporaryDirectory("archive-large")
        let archive = try ConfigArchive(
            bytes: try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory), origin: "test")
        let big = [UInt8](repeating: 35, count: 12000)
        #expect(throws: HostedEngineError.archiveTooLarge(size: 40960, limit: 20480)) {
            try archive.replacing(member: "broker.conf", with: big, modificationTime: 0, allowLargeArchive: false)
        }
        #expect(try archive.replacing(member: "broker.conf", with: big, modificationTime: 0, allowLargeArchive: true).count == 40960)
    }

    /// Volumes that hold no usable archive: each is refused with one line naming the problem.
    @Test func refusesVolumesWithoutAValidArchive() throws {
        let directory = try TemporaryDirectory("archive-invalid")
        let members = try Fixtures.configMembers()
        func rejects(_ bytes: [UInt8], _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let path = try UpstreamStorage.makeVolume(
                at: directory.file("v\(bytes.count)-\(reason.hashValue)"), archive: bytes, size: 1 << 20)
            let error = #expect(throws: HostedEngineError.self, sourceLocation: sourceLocation) {
                try ConfigArchive(reading: try Volume(path: path, forWriting: false))
            }
            guard case let .archiveInvalid(origin, problem, _)? = error else {
                Issue.record("not archiveInvalid: \(String(describing: error))", sourceLocation: sourceLocation)
                return
            }
            #expect(origin == path && problem.description == reason, sourceLocation: sourceLocation)
            #expect(!(error?.description.contains("\n") ?? true), sourceLocation: sourceLocation)
        }
        try rejects([], "it is empty (the first block is zeros)")
        try rejects((0..<4096).map { UInt8(truncatingIfNeeded: ($0 * 7919) ^ ($0 >> 3)) }, "it does not start with a tar header")
        try rejects(
            try UpstreamStorage.editorArchive(Array(members.dropLast()), in: directory),
            "it lacks vm.conf (it holds version, fhanswers.conf, hosted-engine.conf, broker.conf)")
        try rejects(try UpstreamStorage.editorArchive(members + [members[3]], in: directory), "member 'broker.conf' appears more than once")

        let writer = try TarWriter(format: .ustar, recordSize: 20480)
        for member in members { try writer.append(TarEntry(path: member.name), contents: member.bytes) }
        var link = TarEntry(path: "evil")
        link.kind = .symbolicLink
        link.linkTarget = "/etc/shadow"
        try writer.append(link)
        try rejects(try writer.finish(), "member 'evil' is a symbolic link, but the archive holds only regular files")
    }
}
