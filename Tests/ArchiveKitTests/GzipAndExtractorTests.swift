import ArchiveKit
import Foundation
import TestSupport
import Testing

@Suite struct GzipTests {
    @Test func roundTripsExactBytesAndGzipAgrees() throws {
        let directory = try TemporaryDirectory("gzip")
        let original = (0..<50000).map { UInt8(truncatingIfNeeded: $0 * 31 / 7) }
        let compressed = try Gzip.compress(original)
        #expect(Gzip.isCompressed(compressed))
        #expect(!Gzip.isCompressed(original))
        #expect(try Gzip.decompress(compressed, limit: 1 << 20) == original)
        let path = try directory.write("data.gz", compressed)
        #expect(try Command.run("gzip", ["-dc", path]).stdoutBytes == original)
        // And what gzip writes, we read.
        let plain = try directory.write("plain", original)
        try Command.shell("gzip -k '\(plain)'")
        #expect(try Gzip.decompress(try directory.read("plain.gz"), limit: 1 << 20) == original)
    }

    @Test func refusesTooMuchOrDamagedData() throws {
        let compressed = try Gzip.compress([UInt8](repeating: 0, count: 100_000))
        #expect(throws: ArchiveError.limitExceeded("the decompressed data exceeds 1000 bytes")) {
            _ = try Gzip.decompress(compressed, limit: 1000).count
        }
        // Text, so that damage in the middle changes what decompresses (in a run of zeros it may not).
        let text = try Gzip.compress(Array((0..<2000).map { "line \($0) of a configuration file\n" }.joined().utf8))
        for offset in [text.count / 2, text.count - 6, text.count - 2] {
            var damaged = text
            damaged[offset] ^= 0x55
            #expect(throws: ArchiveError.self, "damage at \(offset)") { _ = try Gzip.decompress(damaged, limit: 1 << 20).count }
        }
        #expect(throws: ArchiveError.self) { _ = try Gzip.decompress(Array(text.dropLast(4)), limit: 1 << 20).count }
    }
}

@Suite struct TarExtractorTests {
    func archive(_ entries: [(TarEntry, [UInt8])]) throws -> [UInt8] {
        let writer = try TarWriter(format: .pax)
        for (entry, contents) in entries { try writer.append(entry, contents: contents) }
        return try writer.finish()
    }

    @Test func extractsRegularFilesWithTheGivenMode() throws {
        let directory = try TemporaryDirectory("extract")
        var entry = TarEntry(path: "broker.conf", permissions: 0o644)
        entry.uid = 36
        let names = try TarExtractor.extract(
            try archive([(entry, Array("x=1\n".utf8)), (TarEntry(path: "version"), Array("1\n".utf8))]),
            into: directory.path, permissions: 0o600)
        #expect(names == ["broker.conf", "version"])
        #expect(try directory.read("broker.conf") == Array("x=1\n".utf8))
        let mode = try FileManager.default.attributesOfItem(atPath: directory.file("broker.conf"))[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test(arguments: ["../evil", "/tmp/hosted-engine-evil-absolute", "a/../../evil", "./../evil"])
    func neverWritesOutsideTheDirectory(name: String) throws {
        let outer = try TemporaryDirectory("extract-outer")
        let inner = outer.file("inner")
        try FileManager.default.createDirectory(atPath: inner, withIntermediateDirectories: false)
        let bytes = try archive([(TarEntry(path: "ok"), [1]), (TarEntry(path: name), Array("pwned".utf8))])
        #expect(throws: ArchiveError.self) { try TarExtractor.extract(bytes, into: inner, permissions: 0o600) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: inner).isEmpty, "nothing is extracted when one member is bad")
        #expect(!FileManager.default.fileExists(atPath: outer.file("evil")))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/hosted-engine-evil-absolute"))
    }

    @Test func refusesLinksAndSpecialMembers() throws {
        let directory = try TemporaryDirectory("extract-links")
        var link = TarEntry(path: "broker.conf")
        link.kind = .symbolicLink
        link.linkTarget = "/etc/passwd"
        var hard = TarEntry(path: "vm.conf")
        hard.kind = .hardLink
        hard.linkTarget = "/etc/shadow"
        var fifo = TarEntry(path: "fifo")
        fifo.kind = .fifo
        for special in [link, hard, fifo] {
            #expect(throws: ArchiveError.self) {
                try TarExtractor.extract(try archive([(special, [])]), into: directory.path, permissions: 0o600)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func doesNotFollowALinkPlantedInTheDirectory() throws {
        let outer = try TemporaryDirectory("extract-planted")
        let inner = outer.file("inner")
        try FileManager.default.createDirectory(atPath: inner, withIntermediateDirectories: false)
        let target = try outer.write("target", "original")
        try FileManager.default.createSymbolicLink(atPath: inner + "/broker.conf", withDestinationPath: target)
        #expect(throws: ArchiveError.malformed("broker.conf already exists in \(inner)")) {
            _ = try TarExtractor.extract(
                try archive([(TarEntry(path: "broker.conf"), Array("pwned".utf8))]), into: inner, permissions: 0o600
            ).count
        }
        #expect(try outer.read("target") == Array("original".utf8))
    }
}
