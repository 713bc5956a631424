import ArchiveKit
import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// Volumes and uploads that hold garbage or worse: each read, write and upload exits 1 with
/// one line naming the problem, writes nothing and does not crash.
@Suite struct HostileInputTests {
    /// Python's tarfile crafts the members libarchive would not write for us.
    static let generator = #"""
        import io, os, sys, tarfile
        out = sys.argv[1]
        fixtures = sys.argv[2]
        names = ["version", "fhanswers.conf", "hosted-engine.conf", "broker.conf", "vm.conf"]
        files = {n: open(os.path.join(fixtures, n), "rb").read() for n in names}

        def archive(case, members, fmt=tarfile.PAX_FORMAT):
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w", format=fmt, encoding="utf-8", errors="surrogateescape") as tar:
                for info, data in members:
                    tar.addfile(info, io.BytesIO(data) if data is not None else None)
            open(os.path.join(out, case + ".tar"), "wb").write(buf.getvalue())

        def regular(name, data):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            return info, data

        def five(replace=None, extra=()):
            members = []
            for n in names:
                if replace and n in replace:
                    members.append(replace[n])
                else:
                    members.append(regular(n, files[n]))
            return members + list(extra)

        def special(name, kind, link=""):
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = link
            return info, None

        archive("symlink", five({"broker.conf": special("broker.conf", tarfile.SYMTYPE, "/etc/shadow")}))
        archive("hardlink", five({"broker.conf": special("broker.conf", tarfile.LNKTYPE, "version")}))
        archive("chardev", five({"broker.conf": special("broker.conf", tarfile.CHRTYPE)}))
        archive("blockdev", five({"broker.conf": special("broker.conf", tarfile.BLKTYPE)}))
        archive("fifo", five({"broker.conf": special("broker.conf", tarfile.FIFOTYPE)}))
        archive("dotdot", five(extra=[regular("../broker.conf", b"x=1\n")]))
        archive("absolute", five(extra=[regular("/etc/broker.conf", b"x=1\n")]))
        archive("duplicate", five(extra=[regular("broker.conf", b"[email]\nsmtp-server=evil\n")]))
        archive("gnu-long-name", five(extra=[regular("a" * 300, b"x")]), fmt=tarfile.GNU_FORMAT)
        info, data = regular("broker.conf", files["broker.conf"])
        info.pax_headers = {"path": "../../etc/evil"}
        archive("pax-path", five({"broker.conf": (info, data)}))
        archive("non-utf8-name", five(extra=[regular("broker\udcff.conf", b"x")]))
        archive("non-utf8-content", five({"broker.conf": regular("broker.conf", b"[email]\nsmtp-server=\xff\xfe\n")}))
        archive("thousands", five(extra=[regular("m%05d" % i, b"") for i in range(3000)]))
        archive("over-1-mib", five({"vm.conf": regular("vm.conf", b"#" * (1536 * 1024))}))
        """#

    struct Case {
        let name: String
        let bytes: [UInt8]
        /// The volume's size; the archive is at its start.
        let volumeSize: Int64
        /// A phrase the one-line message must hold.
        let expected: String
        /// Only the content of a file is bad: the archive can still be downloaded and checked
        /// out, which is how it gets repaired.
        var fileContentOnly = false
    }

    static func cases(in directory: TemporaryDirectory) throws -> [Case] {
        let craftedDirectory = directory.file("crafted")
        try FileManager.default.createDirectory(atPath: craftedDirectory, withIntermediateDirectories: true)
        try Command.run("python3", ["-c", generator, craftedDirectory, Fixtures.path("config-volume")]).requireSuccess(
            "craft hostile archives")
        func crafted(_ name: String) throws -> [UInt8] { try Files.read("\(craftedDirectory)/\(name).tar") }

        let good = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        let tar = try TarArchive(bytes: good, limits: .init(maximumMembers: 10, maximumMemberSize: 1 << 20))
        func header(of member: Int) -> Int { tar.members[member].span.lowerBound }
        var badChecksum = good
        badChecksum[header(of: 2) + 150] ^= 0x01
        var sizePastEnd = good
        sizePastEnd.replaceSubrange((header(of: 4) + 124)..<(header(of: 4) + 136), with: Array("00000300000\0".utf8))
        var sizeHeader = try TarHeaderBlock(sizePastEnd[header(of: 4)..<(header(of: 4) + 512)])
        try sizeHeader.updateChecksum()
        sizePastEnd.replaceSubrange(header(of: 4)..<(header(of: 4) + 512), with: sizeHeader.bytes)
        var random = [UInt8](repeating: 0, count: 65536)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for index in random.indices {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            random[index] = UInt8(truncatingIfNeeded: seed >> 33)
        }

        return [
            Case(name: "random bytes", bytes: random, volumeSize: 1 << 20, expected: "does not start with a tar header"),
            Case(name: "all zeros", bytes: [], volumeSize: 1 << 20, expected: "it is empty"),
            Case(
                name: "a truncated archive", bytes: Array(good.prefix(header(of: 3) + 700)), volumeSize: Int64(header(of: 3) + 700),
                expected: "truncated"),
            Case(name: "a header with a bad checksum", bytes: badChecksum, volumeSize: 1 << 20, expected: "a tar header is damaged"),
            Case(name: "a size field past the end of the volume", bytes: sizePastEnd, volumeSize: 20480, expected: "truncated"),
            Case(
                name: "a member over 1 MiB", bytes: try crafted("over-1-mib"), volumeSize: 4 << 20,
                expected: "more than the 1048576 a configuration file may hold"),
            Case(name: "thousands of members", bytes: try crafted("thousands"), volumeSize: 4 << 20, expected: "more than 64 members"),
            Case(name: "a GNU long name", bytes: try crafted("gnu-long-name"), volumeSize: 1 << 20, expected: "unexpected member 'aaaa"),
            Case(
                name: "a pax header renaming a member", bytes: try crafted("pax-path"), volumeSize: 1 << 20,
                expected: "points outside the archive"),
            Case(name: "a symbolic link", bytes: try crafted("symlink"), volumeSize: 1 << 20, expected: "is a symbolic link"),
            Case(name: "a hard link", bytes: try crafted("hardlink"), volumeSize: 1 << 20, expected: "is a hard link"),
            Case(name: "a character device", bytes: try crafted("chardev"), volumeSize: 1 << 20, expected: "is a character device"),
            Case(name: "a block device", bytes: try crafted("blockdev"), volumeSize: 1 << 20, expected: "is a block device"),
            Case(name: "a FIFO", bytes: try crafted("fifo"), volumeSize: 1 << 20, expected: "is a FIFO"),
            Case(name: "a .. name", bytes: try crafted("dotdot"), volumeSize: 1 << 20, expected: "points outside the archive"),
            Case(name: "an absolute name", bytes: try crafted("absolute"), volumeSize: 1 << 20, expected: "points outside the archive"),
            Case(name: "a duplicate name", bytes: try crafted("duplicate"), volumeSize: 1 << 20, expected: "appears more than once"),
            Case(name: "a non-UTF-8 name", bytes: try crafted("non-utf8-name"), volumeSize: 1 << 20, expected: "is not UTF-8"),
            Case(
                name: "non-UTF-8 in broker.conf", bytes: try crafted("non-utf8-content"), volumeSize: 1 << 20,
                expected: "is not UTF-8 text",
                fileContentOnly: true),
        ]
    }

    static func isOneLine(_ text: String) -> Bool {
        text.hasSuffix("\n") && !text.dropLast().contains("\n") && text.count > 1
    }

    @Test func hostileVolumesAreRefusedInOneLineAndNothingIsWritten() throws {
        let directory = try TemporaryDirectory("hostile-volumes")
        let backups = directory.file("backups")
        for item in try Self.cases(in: directory) {
            let volume = directory.file("volume-\(item.name.replacingOccurrences(of: " ", with: "-"))")
            try UpstreamStorage.makeVolume(at: volume, archive: item.bytes, size: item.volumeSize)
            let before = try Files.read(volume)
            var commands = [
                ["--get-all-config", "--type", "broker"], ["--get-shared-config", "smtp-server"],
                ["--set-shared-config", "smtp-port", "587"],
            ]
            if !item.fileContentOnly {
                commands += [
                    ["--download-archive", directory.file("download.tar")],
                    ["--checkout-config", directory.file("checkout-\(UUID().uuidString)")],
                ]
            }
            for arguments in commands {
                let result = try Tool.run(arguments + ["--volume", volume], environment: ["HE_BACKUP_DIR": backups])
                #expect(result.status == 1, "\(item.name), \(arguments[0]): \(result)")
                #expect(Self.isOneLine(result.stderr), "\(item.name), \(arguments[0]): \(result.stderr)")
                #expect(result.stderr.contains(item.expected), "\(item.name), \(arguments[0]): \(result.stderr)")
            }
            #expect(sameBytes(try Files.read(volume), before), "\(item.name): the volume changed")
            #expect(!FileManager.default.fileExists(atPath: backups), "\(item.name): a backup was written")
        }
    }

    @Test func hostileUploadsAreRefusedInOneLineAndNothingIsWritten() throws {
        let directory = try TemporaryDirectory("hostile-uploads")
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "4M"])
        let before = try Files.read(storage.volume)
        for item in try Self.cases(in: directory) where !item.bytes.isEmpty {
            let file = try directory.write("upload-\(item.name.replacingOccurrences(of: " ", with: "-")).tar", item.bytes)
            let result = try Tool.run(["--upload-archive", file, "--force"], environment: Tool.environment(for: storage))
            #expect(result.status == 1, "\(item.name): \(result)")
            #expect(Self.isOneLine(result.stderr), "\(item.name): \(result.stderr)")
            #expect(result.stderr.contains(item.expected), "\(item.name): \(result.stderr)")
            let compressed = try directory.write("upload.tar.gz", try Gzip.compress(item.bytes))
            #expect(try Tool.run(["--upload-archive", compressed, "--force"], environment: Tool.environment(for: storage)).status == 1)
        }
        #expect(sameBytes(try Files.read(storage.volume), before))
        #expect(!FileManager.default.fileExists(atPath: storage.backups))
    }

    @Test func aVolumeThatIsADirectoryOrMissing() throws {
        let directory = try TemporaryDirectory("hostile-kinds")
        for (path, phrase) in [
            (directory.path, "it is a directory"), (directory.file("missing"), "No such file or directory"),
            ("/dev/null", "neither a regular file nor a block device"),
        ] {
            let result = try Tool.run(["--get-all-config", "--volume", path])
            #expect(result.status == 1, "\(path): \(result)")
            #expect(Self.isOneLine(result.stderr) && result.stderr.contains(phrase), "\(path): \(result.stderr)")
        }
    }
}
