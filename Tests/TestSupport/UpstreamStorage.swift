import Foundation

/// Configuration archives and volumes made the way oVirt makes them, with oVirt's own tools
/// (GNU tar, Python's tarfile, dd), so tests read what real hosts hold.
public enum UpstreamStorage {
    /// Upstream's editor: `tar --record-size=20480 -cf` of nothing, then Python's tarfile appends
    /// the members (default format; `pythonFormat` may be "GNU_FORMAT", "USTAR_FORMAT" or
    /// "PAX_FORMAT"), with `mtime` as given (Python's default TarInfo has 0).
    public static func editorArchive(
        _ members: [(name: String, bytes: [UInt8])], in directory: TemporaryDirectory,
        pythonFormat: String? = nil, mtime: Double? = nil
    ) throws -> [UInt8] {
        let name = "editor-\(UUID().uuidString)"
        for member in members { try directory.write(name + "/files/" + member.name, member.bytes) }
        let work = directory.file(name)
        let names = members.map { "'\($0.name)'" }.joined(separator: ",")
        let format = pythonFormat.map { ", format=tarfile.\($0)" } ?? ""
        let setTime = mtime.map { "info.mtime = \($0)" } ?? "pass"
        try Command.shell("tar --record-size=20480 -cf '\(work)/archive.tar' -T /dev/null")
        try Command.run(
            "python3",
            [
                "-c",
                """
                import io, os, tarfile
                with tarfile.open('\(work)/archive.tar', mode='a'\(format)) as tar:
                    for name in [\(names)]:
                        data = open(os.path.join('\(work)/files', name), 'rb').read()
                        info = tarfile.TarInfo(name=name)
                        info.size = len(data)
                        \(setTime)
                        tar.addfile(info, io.BytesIO(data))
                """,
            ]
        ).requireSuccess()
        return try Files.read(work + "/archive.tar")
    }

    /// hosted-engine --deploy: `tar --record-size=20480 -cf` of the files, in the order given
    /// (deploy uses vm.conf broker.conf version fhanswers.conf hosted-engine.conf), owned by
    /// vdsm:kvm. `tarFormat` is GNU tar's `--format` (gnu, ustar, posix).
    public static func deployArchive(
        _ members: [(name: String, bytes: [UInt8])], in directory: TemporaryDirectory, tarFormat: String = "gnu"
    ) throws -> [UInt8] {
        let name = "deploy-\(UUID().uuidString)"
        for member in members { try directory.write(name + "/files/" + member.name, member.bytes) }
        let work = directory.file(name)
        let names = members.map { "'\($0.name)'" }.joined(separator: " ")
        try Command.shell(
            "cd '\(work)/files' && tar --format=\(tarFormat) --record-size=20480 --owner=vdsm:36 --group=kvm:36 -cf '\(work)/archive.tar' \(names)"
        )
        return try Files.read(work + "/archive.tar")
    }

    /// A sparse volume of `size` bytes with `archive` dd'd onto offset 0 (conv=notrunc).
    @discardableResult
    public static func makeVolume(at path: String, archive: [UInt8], size: Int64 = 1 << 30) throws -> String {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        try Command.shell("truncate -s \(size) '\(path)'")
        let archivePath = path + ".source.tar"
        try Data(archive).write(to: URL(fileURLWithPath: archivePath))
        try Command.shell("dd if='\(archivePath)' of='\(path)' bs=4k conv=notrunc status=none && rm -f '\(archivePath)'")
        try Files.giveToVdsm(path)
        return path
    }

    /// A host's view of the shared storage, made by `scripts/make-demo-storage`.
    public struct Storage: Sendable {
        public let root: String
        public let hostedEngineConf: String
        public var haConf: String { root + "/var/lib/ovirt-hosted-engine-ha/ha.conf" }
        public let storageRoot: String
        /// Where vdsm mounts the file domain (its volumes are there; storageRoot links to them).
        public var mountRoot: String { root + "/rhev/data-center/mnt" }
        /// The domain as the vdsm stand-in (scripts/stand-ins/vdsm-client) knows it.
        public var vdsmDomain: String { root + "/domain.json" }
        /// The configuration volume itself, in the mount (no link on its path).
        public let volume: String
        /// The same through vdsm's link under the storage root, as hosted-engine.conf finds it.
        public let volumeLink: String
        /// Where the tests keep backups of writes to this storage.
        public var backups: String { root + "/backups" }

        /// Arguments that point the tool at this storage without --volume.
        public var locatorArguments: [String] { ["--he-conf", hostedEngineConf, "--storage-root", storageRoot] }
    }

    /// `STORAGE_ROOT/<sd>/<img>/<vol>`'s file in the mount, where make-demo-storage puts it
    /// (whether or not the link is there).
    static func inMount(_ link: String, root: String) -> String {
        let ids = link.split(separator: "/").suffix(3).map(String.init)
        return "\(root)/rhev/data-center/mnt/nfs.example.com:_export_he/\(ids[0])/images/\(ids[1])/\(ids[2])"
    }

    public static func makeStorage(in directory: TemporaryDirectory, arguments: [String] = []) throws -> Storage {
        let root = directory.file("storage")
        let result = try Command.run(Fixtures.script("make-demo-storage"), arguments + [root]).requireSuccess()
        let link = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return Storage(
            root: root,
            hostedEngineConf: root + "/etc/ovirt-hosted-engine/hosted-engine.conf",
            storageRoot: root + "/run/vdsm/storage",
            volume: inMount(link, root: root), volumeLink: link)
    }
}

extension CommandResult {
    @discardableResult
    public func requireSuccess(_ what: String = "command") throws -> CommandResult {
        guard status == 0 else { throw CommandFailure(command: what, result: self) }
        return self
    }
}
