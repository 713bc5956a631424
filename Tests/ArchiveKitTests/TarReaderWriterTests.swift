import ArchiveKit
import Foundation
import TestSupport
import Testing

@Suite struct TarReaderWriterTests {
    static let formats: [TarWriter.Format] = [.ustar, .gnu, .pax, .paxRestricted]

    func sampleArchive(_ format: TarWriter.Format, recordSize: Int = 10240) throws -> [UInt8] {
        let writer = try TarWriter(format: format, recordSize: recordSize)
        var first = TarEntry(path: "version")
        first.uid = 36
        first.gid = 36
        first.userName = "vdsm"
        first.groupName = "kvm"
        first.modificationTime = 1_700_000_000
        try writer.append(first, contents: Array("2.3.6\n".utf8))
        try writer.append(TarEntry(path: "broker.conf", permissions: 0o600), contents: Array("[email]\nsmtp-port=25\n".utf8))
        return try writer.finish()
    }

    @Test(arguments: formats)
    func readsBackWhatItWrites(format: TarWriter.Format) throws {
        let reader = try TarReader(bytes: try sampleArchive(format))
        let first = try #require(try reader.nextEntry())
        #expect(first.path == "version")
        #expect(first.size == 6)
        #expect(first.uid == 36 && first.gid == 36)
        #expect(first.userName == "vdsm" && first.groupName == "kvm")
        #expect(first.modificationTime == 1_700_000_000)
        #expect(first.headerOffset == 0)
        #expect(try reader.readData(limit: 100) == Array("2.3.6\n".utf8))
        let second = try #require(try reader.nextEntry())
        #expect(second.path == "broker.conf")
        #expect(second.permissions == 0o600)
        #expect(second.headerOffset > 0)
        // Unread data is skipped.
        #expect(try reader.nextEntry() == nil)
        #expect(reader.endOfArchiveOffset != nil)
    }

    @Test func padsTheLastRecordToTheRecordSize() throws {
        #expect(try sampleArchive(.ustar, recordSize: 20480).count == 20480)
        #expect(try sampleArchive(.gnu, recordSize: 10240).count == 10240)
        let writer = try TarWriter(format: .ustar, recordSize: 20480)
        try writer.append(TarEntry(path: "big"), contents: [UInt8](repeating: 65, count: 30000))
        #expect(try writer.finish().count == 40960)
    }

    @Test func readsAByteRangeOfADescriptorAndNoMore() throws {
        let directory = try TemporaryDirectory("range")
        let path = directory.file("volume")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        try Command.shell("truncate -s 1G '\(path)'")
        try Files.overwrite(path, with: try sampleArchive(.ustar, recordSize: 20480))
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        let reader = try TarReader(fileDescriptor: descriptor, end: 1 << 30, chunkSize: 20480, retainingBytes: true)
        var names: [String] = []
        while let entry = try reader.nextEntry() { names.append(entry.path) }
        #expect(names == ["version", "broker.conf"])
        #expect(reader.bytesRead <= 40960)
        #expect(reader.retainedBytes.count == Int(reader.bytesRead))
    }

    @Test func reportsGarbageAsALibarchiveError() throws {
        let garbage = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        #expect(throws: ArchiveError.self) { _ = try TarReader(bytes: garbage).nextEntry() }
    }

    @Test func reportsATruncatedMember() throws {
        let archive = try sampleArchive(.ustar)
        let reader = try TarReader(bytes: Array(archive.prefix(700)))
        #expect(throws: ArchiveError.self) {
            while (try reader.nextEntry()) != nil { _ = try reader.readData(limit: 1 << 20) }
        }
    }

    @Test func carriesReadErrorsOfTheDescriptor() throws {
        #expect(throws: ArchiveError.io(operation: "cannot read at offset 0", errno: EBADF)) {
            _ = try TarReader(fileDescriptor: -1, end: 20480)
        }
    }

    @Test func stopsReadingDataPastTheLimit() throws {
        let writer = try TarWriter()
        try writer.append(TarEntry(path: "big"), contents: [UInt8](repeating: 1, count: 50000))
        let reader = try TarReader(bytes: try writer.finish())
        _ = try reader.nextEntry()
        #expect(throws: ArchiveError.self) { try reader.readData(limit: 1000) }
    }

    @Test func writesGzipThatGzipReads() throws {
        let writer = try TarWriter(format: .ustar, compression: .gzip)
        try writer.append(TarEntry(path: "broker.conf"), contents: Array("x=1\n".utf8))
        let compressed = try writer.finish()
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        let reader = try TarReader(bytes: compressed, compression: .gzipOrNone)
        #expect(try reader.nextEntry()?.path == "broker.conf")
        #expect(try reader.readData(limit: 100) == Array("x=1\n".utf8))
        #expect(throws: ArchiveError.self) { _ = try TarReader(bytes: compressed, compression: .none).nextEntry() }
    }

    @Test func writesSpecialMembers() throws {
        let writer = try TarWriter(format: .pax)
        var link = TarEntry(path: "link")
        link.kind = .symbolicLink
        link.linkTarget = "/etc/passwd"
        try writer.append(link)
        var fifo = TarEntry(path: "fifo")
        fifo.kind = .fifo
        try writer.append(fifo)
        let reader = try TarReader(bytes: try writer.finish())
        let first = try #require(try reader.nextEntry())
        #expect(first.kind == .symbolicLink && first.linkTarget == "/etc/passwd")
        #expect(try reader.nextEntry()?.kind == .fifo)
    }
}
