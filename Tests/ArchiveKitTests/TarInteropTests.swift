import ArchiveKit
import Foundation
import TestSupport
import Testing

/// What we write, GNU tar, bsdtar and Python's tarfile read; what they write, we read; and a
/// member replaced in their archives leaves every other byte alone.
@Suite struct TarInteropTests {
    static let members: [(name: String, bytes: [UInt8])] = [
        ("version", Array("2.3.6\n".utf8)),
        ("fhanswers.conf", Array("[environment:default]\nOVEHOSTED_CORE/screenProceed=bool:True\n".utf8)),
        ("broker.conf", Array("[email]\nsmtp-server=localhost\nsmtp-port=25\n".utf8)),
        ("vm.conf", Array("vmId=82a24281-8a25-4772-b9c9-45971e811cb3\nmemSize=4096\n".utf8)),
    ]

    @Test(arguments: [TarWriter.Format.ustar, .gnu, .pax, .paxRestricted])
    func threeReadersReadWhatWeWrite(format: TarWriter.Format) throws {
        let directory = try TemporaryDirectory("interop-write")
        let writer = try TarWriter(format: format, recordSize: 20480)
        for member in Self.members {
            var entry = TarEntry(path: member.name)
            entry.uid = 36
            entry.gid = 36
            entry.userName = "vdsm"
            entry.groupName = "kvm"
            entry.modificationTime = 1_700_000_000
            try writer.append(entry, contents: member.bytes)
        }
        let path = try directory.write("ours.tar", try writer.finish())
        let expected = Dictionary(uniqueKeysWithValues: Self.members.map { ($0.name, $0.bytes) })
        for listing in [
            try TarReaders.gnuTar(volume: path), try TarReaders.bsdtar(volume: path), try TarReaders.python(volume: path).listing,
        ] {
            #expect(listing.names == Self.members.map(\.name))
            #expect(listing.contents == expected)
        }
        let metadata = try TarReaders.python(volume: path).metadata
        #expect(metadata.first == "version 6 0o644 36 36 vdsm kvm 1700000000")
    }

    static let producers: [String] = [
        "gnu", "ustar", "posix", "bsdtar-ustar", "bsdtar-pax", "python-GNU_FORMAT", "python-USTAR_FORMAT",
        "python-PAX_FORMAT", "python-PAX_FORMAT-float-mtime",
    ]

    func archive(from producer: String, in directory: TemporaryDirectory) throws -> [UInt8] {
        switch producer {
        case "gnu", "ustar", "posix":
            return try UpstreamStorage.deployArchive(Self.members, in: directory, tarFormat: producer)
        case "bsdtar-ustar", "bsdtar-pax":
            for member in Self.members { try directory.write("bsd/" + member.name, member.bytes) }
            let format = producer.dropFirst("bsdtar-".count)
            try Command.shell(
                "cd '\(directory.path)/bsd' && bsdtar --format \(format) -b 40 -cf ../bsd.tar \(Self.members.map(\.name).joined(separator: " "))"
            )
            return try directory.read("bsd.tar")
        case "python-PAX_FORMAT-float-mtime":
            return try UpstreamStorage.editorArchive(Self.members, in: directory, pythonFormat: "PAX_FORMAT", mtime: 1_700_000_000.25)
        default:
            return try UpstreamStorage.editorArchive(Self.members, in: directory, pythonFormat: String(producer.dropFirst("python-".count)))
        }
    }

    @Test(arguments: producers)
    func readsWhatOthersWrite(producer: String) throws {
        let directory = try TemporaryDirectory("interop-read")
        let bytes = try archive(from: producer, in: directory)
        let tar = try TarArchive(bytes: bytes, limits: .init(maximumMembers: 10, maximumMemberSize: 1 << 20))
        #expect(tar.members.map(\.entry.path) == Self.members.map(\.name))
        #expect(tar.members.map(\.contents) == Self.members.map(\.bytes))
        // Spans tile the stream from the first header to the end-of-archive marker.
        #expect(tar.members.first?.span.lowerBound == 0)
        for (left, right) in zip(tar.members, tar.members.dropFirst()) {
            #expect(left.span.upperBound == right.span.lowerBound)
        }
        #expect(tar.members.last?.span.upperBound == tar.endOfArchiveOffset)
    }

    @Test(arguments: producers)
    func replacingOneMemberLeavesEveryOtherByte(producer: String) throws {
        let directory = try TemporaryDirectory("interop-splice")
        let bytes = try archive(from: producer, in: directory)
        let tar = try TarArchive(bytes: bytes, limits: .init(maximumMembers: 10, maximumMemberSize: 1 << 20))
        let index = 2
        let newContent = Array("[email]\nsmtp-server=mail.example.com\nsmtp-port=25\n# a longer file than before\n".utf8)
        let edited = try tar.replacingContents(ofMemberAt: index, with: newContent, modificationTime: 1_800_000_000)

        let result = try TarArchive(bytes: edited, limits: .init(maximumMembers: 10, maximumMemberSize: 1 << 20))
        #expect(result.members.map(\.entry.path) == Self.members.map(\.name))
        #expect(result.members[index].contents == newContent)
        #expect(result.members[index].entry.modificationTime == 1_800_000_000)
        #expect(result.members[index].entry.size == Int64(newContent.count))
        for other in tar.members.indices where other != index {
            #expect(Array(edited[result.members[other].span]) == Array(bytes[tar.members[other].span]), "member \(other) moved")
            #expect(
                result.members[other].entry
                    == {
                        var e = tar.members[other].entry
                        e.headerOffset = result.members[other].entry.headerOffset
                        return e
                    }())
        }
        // Of the edited member's own header block, only size, mtime and checksum changed.
        let oldHeader = Array(
            bytes[(tar.members[index].span.upperBound - TarArchive.blockAligned(Self.members[index].bytes.count) - 512)...].prefix(512))
        let newHeader = Array(
            edited[(result.members[index].span.upperBound - TarArchive.blockAligned(newContent.count) - 512)...].prefix(512))
        let changed = Set(zip(oldHeader, newHeader).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset))
        let allowed = Set(124..<156)
        #expect(changed.isSubset(of: allowed), "header bytes outside size/mtime/checksum changed: \(changed.subtracting(allowed).sorted())")

        let path = try directory.write("edited.tar", edited + [UInt8](repeating: 0, count: 20480))
        let expected = Dictionary(
            uniqueKeysWithValues: Self.members.enumerated().map { ($0.element.name, $0.offset == index ? newContent : $0.element.bytes) })
        #expect(try TarReaders.gnuTar(volume: path, count: edited.count).contents == expected)
        #expect(try TarReaders.bsdtar(volume: path, count: edited.count).contents == expected)
        let python = try TarReaders.python(volume: path, count: edited.count)
        #expect(python.listing.contents == expected)
        #expect(python.metadata[index].hasSuffix(" 1800000000"), "Python sees mtime \(python.metadata[index])")
    }

    @Test func refusesTooManyMembersAndOversizedOnes() throws {
        let writer = try TarWriter()
        for number in 0..<20 { try writer.append(TarEntry(path: "m\(number)"), contents: [1]) }
        let many = try writer.finish()
        #expect(throws: ArchiveError.limitExceeded("the archive holds more than 10 members")) {
            try TarArchive(bytes: many, limits: .init(maximumMembers: 10, maximumMemberSize: 100))
        }
        let big = try TarWriter()
        try big.append(TarEntry(path: "big"), contents: [UInt8](repeating: 0, count: 5000))
        #expect(throws: ArchiveError.entryTooLarge(path: "big", size: 5000, limit: 100)) {
            try TarArchive(bytes: try big.finish(), limits: .init(maximumMembers: 10, maximumMemberSize: 100))
        }
    }
}
