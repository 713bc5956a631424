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

    var metadataDirectory: String { directory + "/" + Self.metadataName }
    var baseArchivePath: String { metadataDirectory + "/base.tar" }
    var statePath: String { metadataDirectory + "/checkout" }

    /// The members, in the archive's order.
    public var memberNames: [String] { base.tar.members.map(\.entry.path) }

    // MARK: - Checkout

    /// Extracts the archive of `volume` into `directory`, created 0700 (it must not exist, or
    /// be empty), each file 0600: hosted-engine.conf can hold an iSCSI password.
    public static func checkout(
        from volume: Volume, into directory: String, ovfFrom locator: VolumeLocator? = nil, now: Int64 = TimeText.now()
    ) throws -> WorkingCopy {
        try requireNewDirectory(directory, for: "check out")
        do {
            try LocalFile.makeDirectories(directory, mode: 0o700)
        } catch {
            throw HostedEngineError.workingDirectory(directory, "it cannot be created (\(error.reason))")
        }
        let archive = try ConfigArchive.load(from: volume)
        do {
            try TarExtractor.extract(archive.bytes, into: directory, permissions: 0o600)
        } catch let error as ArchiveError {
            throw HostedEngineError.workingDirectory(directory, "the archive cannot be extracted safely (\(error))")
        }
        let ovf = try locator.map { try OvfCheckout.fetch(locator: $0) }
        let copy = WorkingCopy(directory: directory, volumePath: LocalFile.absolute(volume.path), base: archive, checkedOut: now, ovf: ovf)
        if let ovf { try copy.writeFile(ovf.member, ovf.base.bytes) }
        try copy.saveMetadata()
        return copy
    }

    /// Refuses a `directory` that exists and is not an empty directory: `action` (check out,
    /// download) goes into a new one.
    static func requireNewDirectory(_ directory: String, for action: String) throws {
        guard LocalFile.exists(directory) else { return }
        guard LocalFile.isDirectory(directory), let contents = try? LocalFile.list(directory) else {
            throw HostedEngineError.workingDirectory(directory, "it exists and is not a directory; \(action) into a new directory")
        }
        guard contents.isEmpty else {
            throw HostedEngineError.workingDirectory(directory, "it already exists and is not empty; \(action) into a new directory")
        }
    }

    /// Opens an existing checkout.
    public init(opening directory: String) throws {
        self.directory = directory
        let statePath = directory + "/" + Self.metadataName + "/checkout"
        let stateBytes: [UInt8]
        do {
            stateBytes = try LocalFile.read(statePath)
        } catch {
            throw HostedEngineError.workingDirectory(
                directory, "it is not a checkout (\(statePath) cannot be read); make one with hosted-engine --checkout-config DIR")
        }
        let state = try ConfigFile(name: statePath, bytes: stateBytes)
        guard let volume = try state.value(forKey: "volume", section: nil),
            let baseText = try state.value(forKey: "base", section: nil), let recorded = Checksum(parsing: baseText)
        else {
            throw HostedEngineError.workingDirectory(directory, "\(statePath) is damaged; check out again")
        }
        let baseArchivePath = directory + "/" + Self.metadataName + "/base.tar"
        let baseBytes: [UInt8]
        do {
            baseBytes = try LocalFile.read(baseArchivePath, limit: Int(ConfigArchive.maximumBytesRead))
        } catch {
            throw HostedEngineError.workingDirectory(directory, "\(baseArchivePath) cannot be read; check out again")
        }
        let base = try ConfigArchive(bytes: baseBytes, origin: baseArchivePath)
        guard base.checksum == recorded else {
            throw HostedEngineError.workingDirectory(directory, "\(baseArchivePath) does not match the recorded base \(recorded); check out again")
        }
        self.volumePath = volume
        self.base = base
        self.checkedOut = (try state.value(forKey: "checked-out", section: nil)).flatMap { Int64($0) } ?? 0
        self.ovf = try OvfCheckout.open(metadata: directory + "/" + Self.metadataName)
    }

    init(directory: String, volumePath: String, base: ConfigArchive, checkedOut: Int64, ovf: OvfCheckout?) {
        self.directory = directory
        self.volumePath = volumePath
        self.base = base
        self.checkedOut = checkedOut
        self.ovf = ovf
    }

    func writeFile(_ name: String, _ bytes: [UInt8]) throws {
        do {
            try LocalFile.writeAtomically(directory + "/" + name, bytes, mode: 0o600)
        } catch {
            throw HostedEngineError.workingDirectory(directory, "\(name) cannot be written (\(error.reason))")
        }
    }

    private func saveMetadata() throws {
        let state = "volume=\(volumePath)\nbase=\(base.checksum)\nchecked-out=\(checkedOut)\n"
        do {
            try LocalFile.makeDirectories(metadataDirectory, mode: 0o700)
            try LocalFile.writeAtomically(baseArchivePath, base.bytes, mode: 0o600)
            try LocalFile.writeAtomically(statePath, Array(state.utf8), mode: 0o600)
            try ovf?.save(metadata: metadataDirectory)
        } catch {
            throw HostedEngineError.workingDirectory(directory, "its \(Self.metadataName) folder cannot be written (\(error.reason))")
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
            let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            if descriptor < 0 {
                let code = errno
                if code == ENOENT { continue }
                let why = code == ELOOP ? "is a symbolic link; put a regular file in its place" : "cannot be read (\(String(cString: strerror(code))))"
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

    // MARK: - Status and diff

    /// The volume, compared with the base.
    public enum VolumeState: Sendable {
        case unchanged
        case moved(to: Checksum, changes: ConfigChanges)
        case unreadable(String)
    }

    public struct Status: Sendable {
        public let copy: WorkingCopy
        public let schema: Schema
        public let volume: VolumeState
        public let changes: ConfigChanges
        public let problems: [Problem]
    }

    public func status(schema: Schema) -> Status {
        let volume: VolumeState
        do {
            let current = try ConfigArchive.load(from: try Volume(path: volumePath, forWriting: false))
            volume = current.checksum == base.checksum
                ? .unchanged
                : .moved(to: current.checksum, changes: ConfigChanges(
                    from: base.memberContents, to: current.memberContents, memberOrder: memberNames, schema: schema))
        } catch {
            volume = .unreadable("\(error)")
        }
        return Status(copy: self, schema: schema, volume: volume, changes: changes(schema: schema), problems: readWorkingFiles().problems)
    }

    /// A unified diff of the working files against the base; secret values show as `********`
    /// unless `showSecrets`.
    public func diff(schema: Schema, showSecrets: Bool) -> String {
        let files = readWorkingFiles().files
        var out = ""
        for name in memberNames {
            let old = String(decoding: base.contents(of: name) ?? [], as: UTF8.self)
            let new = files[name].map { String(decoding: $0, as: UTF8.self) }
            let display: (String) -> String = showSecrets ? { $0 } : { Self.maskingSecret(in: $0, member: name, schema: schema) }
            out += UnifiedDiff.diff(
                old: old, new: new ?? "", oldName: "a/\(name)", newName: new == nil ? "/dev/null" : "b/\(name)", display: display)
        }
        if let ovf {
            let working = (try? LocalFile.read(directory + "/" + ovf.member, limit: 64 << 20)).map { String(decoding: $0, as: UTF8.self) }
            out += UnifiedDiff.diff(
                old: String(decoding: ovf.base.bytes, as: UTF8.self), new: working ?? "", oldName: "a/\(ovf.member)",
                newName: working == nil ? "/dev/null" : "b/\(ovf.member)")
        }
        return out
    }

    static func maskingSecret(in line: String, member: String, schema: Schema) -> String {
        guard let delimiter = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return line }
        let key = ConfigFile.stripped(String(line[..<delimiter]))
        guard schema.isSecret(member: member, key: key) else { return line }
        let prefix = ConfigFile.valuePrefix(of: line, layout: line[delimiter] == "=" ? .flat : .ini)
        return prefix.count == line.count ? line : prefix + "********"
    }

    // MARK: - Push

    public enum PushOutcome: Sendable, Equatable {
        /// The working files equal the base; nothing to write.
        case nothingToPush
        /// What a push would do; nothing was written. `vmChanges` describes the OVF's.
        case dryRun(changes: ConfigChanges, rebased: Bool, vmChanges: [String])
        case pushed(changes: ConfigChanges, rebased: Bool, vmChanges: [String], backups: [String])
    }

    /// Validates, then writes the working files to the volume with a compare-and-swap against
    /// the base, and moves the base forward. When the volume moved on since checkout: exit 3
    /// listing what changed there, or with `rebase`, merge key by key when the changes do not
    /// overlap.
    public func push(schema: Schema, options: SharedConfig.WriteOptions, rebase: Bool, dryRun: Bool) throws -> PushOutcome {
        let problems = unreadableAndArchiveProblems(schema: schema) + ovfProblems(force: options.force)
        if !problems.isEmpty {
            throw HostedEngineError.refused(
                problems: problems,
                summary: problems.count == 1
                    ? "nothing was pushed; fix it and push again"
                    : "Nothing was pushed: \(problems.count) problems above; fix them and push again.")
        }
        let local = readWorkingFiles().files
        let localChanges = ConfigChanges(from: base.memberContents, to: local, memberOrder: memberNames, schema: schema)
        let vm = try ovfReconciliation(force: options.force)
        let vmChanges = vm?.changes.map { "vm \($0.key): '\($0.old)' -> '\($0.new)'" } ?? []
        if localChanges.isEmpty, vmChanges.isEmpty { return .nothingToPush }
        if localChanges.isEmpty {
            if dryRun { return .dryRun(changes: localChanges, rebased: false, vmChanges: vmChanges) }
            let written = try pushOvf(vm!, options: options, rebase: rebase)
            try WorkingCopy(directory: directory, volumePath: volumePath, base: base, checkedOut: checkedOut, ovf: written.ovf).saveMetadata()
            return .pushed(changes: localChanges, rebased: written.rebased, vmChanges: vmChanges, backups: written.backups)
        }

        let volume = try Volume(path: volumePath, forWriting: true)
        let current = try ConfigArchive.load(from: volume)
        var merged: [String: [UInt8]] = [:]
        let rebased = current.checksum != base.checksum
        if rebased {
            let remote = ConfigChanges(from: base.memberContents, to: current.memberContents, memberOrder: memberNames, schema: schema)
            guard rebase else {
                throw HostedEngineError.pushConflict(changedOnVolume: Self.describe(remote))
            }
            merged = try Self.merge(local: localChanges, localFiles: local, remote: remote, base: base, current: current, schema: schema)
        } else {
            for member in localChanges.changedMembers { merged[member] = local[member] }
        }
        let replacements = memberNames.compactMap { name in merged[name].map { (member: name, contents: $0) } }
        let now = options.modificationTime ?? TimeText.now()
        let newArchive = try current.replacing(replacements, modificationTime: now, allowLargeArchive: options.allowLargeArchive)
        if dryRun { return .dryRun(changes: localChanges, rebased: rebased, vmChanges: vmChanges) }

        let backup = try CompareAndSwap(volume: volume, lockTimeout: options.lockTimeout, backups: options.backups)
            .replace(base: current, with: newArchive, now: now)
        var backups = [backup]
        var ovf = self.ovf
        var vmRebased = false
        if let vm, !vm.changes.isEmpty {
            let written = try pushOvf(vm, options: options, rebase: rebase)
            (ovf, vmRebased) = (written.ovf, written.rebased)
            backups += written.backups
        }
        try advance(to: ConfigArchive(bytes: newArchive, origin: volumePath), previousLocal: local, ovf: ovf)
        return .pushed(changes: localChanges, rebased: rebased || vmRebased, vmChanges: vmChanges, backups: backups)
    }

    /// After a push: the new archive becomes the base, and every working file shows it (files
    /// that were not edited here pick up what changed on the volume).
    private func advance(to archive: ConfigArchive, previousLocal: [String: [UInt8]], ovf: OvfCheckout?) throws {
        for name in memberNames {
            guard let contents = archive.contents(of: name), previousLocal[name] != contents else { continue }
            do {
                try LocalFile.writeAtomically(directory + "/" + name, contents, mode: 0o600)
            } catch {
                throw HostedEngineError.workingDirectory(directory, "\(name) cannot be updated after the push (\(error.reason)); check out again")
            }
        }
        try WorkingCopy(directory: directory, volumePath: volumePath, base: archive, checkedOut: checkedOut, ovf: ovf).saveMetadata()
    }

    /// Local key changes applied onto the volume's files, or an error listing every key changed
    /// differently on both sides.
    static func merge(
        local: ConfigChanges, localFiles: [String: [UInt8]], remote: ConfigChanges, base: ConfigArchive,
        current: ConfigArchive, schema: Schema
    ) throws -> [String: [UInt8]] {
        var overlaps: [String] = []
        for change in local.memberChanges where remote.changedMembers.contains(change.member) {
            overlaps.append("\(change.member): changed here and on the volume")
        }
        for mine in local.keyChanges {
            guard let theirs = remote.keyChanges.first(where: { $0.isSameKey(as: mine) }), theirs.new != mine.new else { continue }
            let show = { (value: String?) in mine.isSecret ? "(secret)" : value.map { "'\(HostedEngineError.printable($0))'" } ?? "(not set)" }
            overlaps.append("\(mine.member) \(mine.label): base \(show(mine.old)), local \(show(mine.new)), volume \(show(theirs.new))")
        }
        for change in remote.memberChanges where local.keyChanges.contains(where: { $0.member == change.member }) {
            overlaps.append("\(change.member): changed here and on the volume")
        }
        if !overlaps.isEmpty { throw HostedEngineError.rebaseConflict(overlaps: overlaps) }

        var merged: [String: [UInt8]] = [:]
        for member in local.changedMembers {
            guard remote.changedMembers.contains(member), let theirs = current.contents(of: member) else {
                merged[member] = localFiles[member]
                continue
            }
            var file = try ConfigFile(name: member, bytes: theirs)
            for change in local.keyChanges where change.member == member {
                guard let value = change.new else { continue }
                try file.setValue(value, forKey: change.key, section: change.section)
            }
            merged[member] = file.bytes
        }
        return merged
    }

    /// `broker.conf email.smtp-server`, one per changed key or member.
    static func describe(_ changes: ConfigChanges) -> [String] {
        changes.keyChanges.map { "\($0.member) \($0.label)" } + changes.memberChanges.map(\.member)
    }

}
