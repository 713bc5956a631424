import Foundation
import HostedEngineConfig
import TestSupport
import Testing

@Suite struct BackupStoreTests {
    @Test func savesListsAndRefusesAnUnwritableFolder() throws {
        let directory = try TemporaryDirectory("backups")
        let archive = try ConfigArchive(
            bytes: try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory), origin: "test")
        let store = directory.backups
        #expect(try store.list().isEmpty)
        let path = try store.save(archive, at: 1_800_000_000)
        #expect(path == "\(store.directory)/he-conf-20270115T080000Z-\(archive.checksum.hex).tar")
        #expect(try Files.read(path) == archive.bytes)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: store.directory)[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        _ = try store.save(archive, at: 1_700_000_000)
        let listed = try store.list()
        #expect(listed.map(\.time) == [1_700_000_000, 1_800_000_000])
        #expect(listed.allSatisfy { $0.checksum == archive.checksum.description && $0.size == 20480 })

        let blocked = BackupStore(directory: "/proc/no-backups-here")
        #expect(throws: HostedEngineError.self) { try blocked.save(archive, at: 0) }
    }

    /// A link planted where a backup's name will be is replaced by the backup, never written through.
    @Test func aLinkAtTheBackupsNameIsReplacedNotFollowed() throws {
        let directory = try TemporaryDirectory("backups-link")
        let archive = try ConfigArchive(
            bytes: try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory), origin: "test")
        let store = directory.backups
        let canary = try directory.write("canary", "root's file\n")
        try FileManager.default.createDirectory(atPath: store.directory, withIntermediateDirectories: true)
        chmod(store.directory, 0o700)
        let name = "he-conf-20270115T080000Z-\(archive.checksum.hex).tar"
        #expect(symlink(canary, store.directory + "/" + name) == 0)
        let path = try store.save(archive, at: 1_800_000_000)
        #expect(try Files.read(path) == archive.bytes)
        #expect(try Files.read(canary) == Array("root's file\n".utf8))
        var status = stat()
        #expect(lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG)
    }

    @Test func aWriteThatCannotBackUpWritesNothing() throws {
        let directory = try TemporaryDirectory("backups-fail")
        let tar = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        let path = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: tar, size: 1 << 20)
        let error = #expect(throws: HostedEngineError.self) {
            try SharedConfig().set(
                key: "smtp-port", value: "587", type: nil, locator: VolumeLocator(volume: path),
                options: .init(backups: BackupStore(directory: "/proc/no-backups-here")))
        }
        #expect(error?.description.hasPrefix("Cannot save a backup of the current archive in /proc/no-backups-here") == true)
        #expect(try Files.readPrefix(path, count: 20480) == tar)
    }
}
