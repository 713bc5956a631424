import ArchiveKit
import Glibc

/// A checked-out copy of the configuration: the archive's members as files in a directory, and
/// under `.hosted-engine/` the volume they came from, the base checksum and a pristine copy of
/// the base archive. Like a git work tree, it is edited offline and pushed with a
/// compare-and-swap against its base.
public struct WorkingCopy: Sendable {
    public static let metadataName = ".hosted-engine"

    public let directory: String
    /// The volume the checkout came from, and where a push goes.
    public let volumePath: String
    /// The archive as it was at checkout or at the last push.
    public let base: ConfigArchive
    public let checkedOut: Int64
    /// The engine VM's OVF, when the checkout asked for it (`--type vm`).
    public let ovf: OvfCheckout?
    /// How the volume and the OVF_STOREs are opened for status and push.
    public let volumeSettings: Volume.Settings

    var metadataDirectory: String { directory + "/" + Self.metadataName }
    var baseArchivePath: String { metadataDirectory + "/base.tar" }
    var statePath: String { metadataDirectory + "/checkout" }

    /// The members, in the archive's order.
    public var memberNames: [String] { base.tar.members.map(\.entry.path) }

    // MARK: - Checkout

    /// Extracts the archive of `volume` into `directory`, created 0700 (it must not exist, or
    /// be an empty folder of the caller's that no one else may write), each file 0600:
    /// hosted-engine.conf can hold an iSCSI password. Everything is made in a new private folder
    /// beside it and renamed into place, so nothing is written through a link someone planted.
    public static func checkout(
        from volume: Volume, into directory: String, ovfFrom locator: VolumeLocator? = nil, now: Int64 = TimeText.now()
    ) throws -> WorkingCopy {
        try requireNewDirectory(directory, for: "check out")
        let parent = LocalFile.parent(of: LocalFile.absolute(directory))
        do {
            try LocalFile.makeDirectories(parent, mode: 0o755)
        } catch {
            throw HostedEngineError.workingDirectory(directory, .parentNotCreated(errno: error.rawValue))
        }
        let staging = try LocalFile.makeTemporaryDirectory(in: parent, prefix: ".hosted-engine-checkout-")
        do {
            let archive = try ConfigArchive.load(from: volume)
            do {
                try TarExtractor.extract(archive.bytes, into: staging, permissions: 0o600)
            } catch let error as ArchiveError {
                throw HostedEngineError.workingDirectory(directory, .unsafeArchive(why: "\(error)"))
            }
            let ovf = try locator.map { try OvfCheckout.fetch(locator: $0) }
            let staged = WorkingCopy(
                directory: staging, volumePath: LocalFile.absolute(volume.path), base: archive, checkedOut: now, ovf: ovf,
                volumeSettings: volume.settings)
            if let ovf { try staged.writeFile(ovf.member, ovf.base.bytes) }
            try staged.saveMetadata()
            try moveIntoPlace(staging, directory)
            return WorkingCopy(
                directory: directory, volumePath: staged.volumePath, base: archive, checkedOut: now, ovf: ovf,
                volumeSettings: volume.settings)
        } catch {
            LocalFile.removeTree(staging)
            throw error
        }
    }

    /// Refuses a `directory` that exists and is not an empty folder of the caller's that only
    /// the caller may write (not a link, not another user's): `action` (check out, download)
    /// goes into a new one.
    static func requireNewDirectory(_ directory: String, for action: String) throws {
        var status = stat()
        guard lstat(directory, &status) == 0 else { return }
        guard status.st_mode & S_IFMT == S_IFDIR, let contents = try? LocalFile.list(directory) else {
            throw HostedEngineError.workingDirectory(directory, .notADirectory(action: action))
        }
        guard contents.isEmpty else {
            throw HostedEngineError.workingDirectory(directory, .notEmpty(action: action))
        }
        guard status.st_uid == geteuid(), status.st_mode & 0o022 == 0 else {
            throw HostedEngineError.workingDirectory(directory, .notPrivate(owner: status.st_uid, action: action))
        }
    }

    /// Renames the private folder `staging` to `directory`, which is absent or an empty folder.
    static func moveIntoPlace(_ staging: String, _ directory: String) throws {
        if LocalFile.exists(directory) {
            do {
                try SystemCalls.removeDirectory(directory)
            } catch {
                throw HostedEngineError.workingDirectory(directory, .notReplaced(errno: error.rawValue))
            }
        }
        do {
            try SystemCalls.rename(staging, to: directory)
        } catch {
            throw HostedEngineError.workingDirectory(directory, .notCreated(errno: error.rawValue))
        }
    }

    /// Opens an existing checkout; its volumes will be opened with `volumeSettings`.
    public init(opening directory: String, volumeSettings: Volume.Settings = Volume.Settings()) throws {
        self.directory = directory
        self.volumeSettings = volumeSettings
        let statePath = directory + "/" + Self.metadataName + "/checkout"
        let stateBytes: [UInt8]
        do {
            stateBytes = try LocalFile.read(statePath)
        } catch {
            throw HostedEngineError.workingDirectory(directory, .notACheckout(statePath: statePath))
        }
        let state = try ConfigFile(name: statePath, bytes: stateBytes)
        guard let volume = try state.value(forKey: "volume", section: nil),
            let baseText = try state.value(forKey: "base", section: nil), let recorded = Checksum(parsing: baseText)
        else {
            throw HostedEngineError.workingDirectory(directory, .damagedState(statePath: statePath))
        }
        let baseArchivePath = directory + "/" + Self.metadataName + "/base.tar"
        let baseBytes: [UInt8]
        do {
            baseBytes = try LocalFile.read(baseArchivePath, limit: Int(ConfigArchive.maximumBytesRead))
        } catch {
            throw HostedEngineError.workingDirectory(directory, .baseUnreadable(path: baseArchivePath))
        }
        let base = try ConfigArchive(bytes: baseBytes, origin: baseArchivePath)
        guard base.checksum == recorded else {
            throw HostedEngineError.workingDirectory(directory, .baseDoesNotMatch(path: baseArchivePath, recorded: "\(recorded)"))
        }
        self.volumePath = volume
        self.base = base
        self.checkedOut = (try state.value(forKey: "checked-out", section: nil)).flatMap { Int64($0) } ?? 0
        self.ovf = try OvfCheckout.open(metadata: directory + "/" + Self.metadataName)
    }

    init(directory: String, volumePath: String, base: ConfigArchive, checkedOut: Int64, ovf: OvfCheckout?, volumeSettings: Volume.Settings)
    {
        self.directory = directory
        self.volumePath = volumePath
        self.base = base
        self.checkedOut = checkedOut
        self.ovf = ovf
        self.volumeSettings = volumeSettings
    }

    /// This checkout with another base and OVF, after a push.
    func advanced(base: ConfigArchive, ovf: OvfCheckout?) -> WorkingCopy {
        WorkingCopy(
            directory: directory, volumePath: volumePath, base: base, checkedOut: checkedOut, ovf: ovf, volumeSettings: volumeSettings)
    }

    func writeFile(_ name: String, _ bytes: [UInt8]) throws {
        do {
            try LocalFile.writeAtomically(directory + "/" + name, bytes, mode: 0o600)
        } catch {
            throw HostedEngineError.workingDirectory(directory, .fileNotWritten(name: name, errno: error.rawValue))
        }
    }

    func saveMetadata() throws {
        let state = "volume=\(volumePath)\nbase=\(base.checksum)\nchecked-out=\(checkedOut)\n"
        do {
            try LocalFile.makeDirectories(metadataDirectory, mode: 0o700)
            try LocalFile.writeAtomically(baseArchivePath, base.bytes, mode: 0o600)
            try LocalFile.writeAtomically(statePath, Array(state.utf8), mode: 0o600)
            try ovf?.save(metadata: metadataDirectory)
        } catch {
            throw HostedEngineError.workingDirectory(directory, .metadataNotWritten(folder: Self.metadataName, errno: error.rawValue))
        }
    }

    // MARK: - Reading the working files

    /// The working files that can be read, and a problem for each member that cannot.
    public func readWorkingFiles() -> (files: [String: [UInt8]], problems: [Problem]) {
        var files: [String: [UInt8]] = [:]
        var problems: [Problem] = []
        for name in memberNames {
            let path = directory + "/" + name
            // O_NOFOLLOW: a symbolic link in place of a member must not push what it points to.
            let descriptor: Int32
            do {
                descriptor = try SystemCalls.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            } catch {
                let code = error.rawValue
                if code == ENOENT { continue }
                let why =
                    code == ELOOP
                    ? "is a symbolic link; put a regular file in its place" : "cannot be read (\(String(cString: strerror(code))))"
                problems.append(Problem(file: name, line: 0, message: "the file \(why)"))
                continue
            }
            close(descriptor)
            do {
                files[name] = try LocalFile.read(path)
            } catch {
                problems.append(Problem(file: name, line: 0, message: "the file cannot be read"))
            }
        }
        return (files, problems)
    }

    public func changes(schema: Schema) -> ConfigChanges {
        ConfigChanges(from: base.memberContents, to: readWorkingFiles().files, memberOrder: memberNames, schema: schema)
    }

    /// Every problem that would stop a push, as `FILE:LINE: message`.
    public func problems(schema: Schema) -> [Problem] {
        unreadableAndArchiveProblems(schema: schema) + ovfProblems(force: false)
    }

    func unreadableAndArchiveProblems(schema: Schema) -> [Problem] {
        let (files, unreadable) = readWorkingFiles()
        let reported = Set(unreadable.map(\.file))
        let found = ConfigValidator(schema: schema).problems(
            base: base.memberContents, proposed: files, memberOrder: memberNames, whitelist: true)
        return unreadable + found.filter { !(reported.contains($0.file) && $0.line == 0) }
    }
}
