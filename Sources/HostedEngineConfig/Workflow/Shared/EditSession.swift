import Glibc

/// `--edit-shared-config`: like `kubectl edit` or `visudo`. The configuration is checked out to
/// a private folder, one file is opened in the editor, and on save it is validated; problems
/// reopen the file with them as comments at the top; a clean file is pushed with a
/// compare-and-swap. Whatever is not pushed is kept, and its path printed.
public struct EditSession {
    /// Runs the editor on a file and returns its exit status.
    public typealias Editor = (_ file: String) throws -> Int32

    static let problemPrefix = "# hosted-engine: "

    public let schema: Schema
    public let options: SharedConfig.WriteOptions
    public let editor: Editor
    /// Where the private folder is made (`$TMPDIR`, else `/tmp`).
    public let temporaryRoot: String

    public init(schema: Schema = .standard, options: SharedConfig.WriteOptions, temporaryRoot: String, editor: @escaping Editor) {
        self.schema = schema
        self.options = options
        self.temporaryRoot = temporaryRoot
        self.editor = editor
    }

    public enum Outcome: Sendable, Equatable {
        /// Saved unchanged: nothing written, nothing kept.
        case unchanged
        case pushed(backups: [String])
    }

    public func run(type typeName: String?, locator: VolumeLocator) throws -> Outcome {
        let type = try SharedConfig(schema: schema).types(named: typeName).first!
        if type.hostFile != nil { return try runOnHostFile(type, locator: locator) }
        // The OVF's change must be confirmed: refused now, not after the editing.
        if type.storage == .ovfStore, !options.force, options.confirm == nil {
            throw HostedEngineError.confirmationNeeded(key: "the engine VM's OVF", what: VmConfig.confirmationReason)
        }
        let volume = try locator.openConfigurationVolume(forWriting: false)
        let directory = try LocalFile.makeTemporaryDirectory(in: temporaryRoot, prefix: "hosted-engine-edit-")
        let copy: WorkingCopy
        do {
            copy = try WorkingCopy.checkout(from: volume, into: directory, ovfFrom: type.storage == .ovfStore ? locator : nil)
        } catch {
            LocalFile.removeTree(directory)
            throw error
        }
        // The type's file: its archive member, or the engine VM's OVF.
        let name = type.member ?? copy.ovf?.member ?? ""
        let file = directory + "/" + name
        let original = type.member.flatMap { copy.base.contents(of: $0) } ?? copy.ovf?.base.bytes ?? []
        return try editLoop(file: file, directory: directory, original: original) { edited, kept in
            try write(edited, to: file, keeping: kept)
            return copy.problems(schema: schema)
        } write: { _ in
            guard
                case let .pushed(_, _, _, backups) = try copy.push(
                    schema: schema, options: options, rebase: true, dryRun: false, action: "edit")
            else { return .unchanged }
            return .pushed(backups: backups)
        }
    }

    /// The editor's loop: open `file`, read it back, check it (`problems`), and `write` it when
    /// clean, else reopen it with the problems at its top. Saved as `original` ends it with
    /// nothing written; whatever is not written is kept in `directory`, whose path is said.
    func editLoop(
        file: String, directory: String, original: [UInt8],
        problems: (_ edited: [UInt8], _ kept: (HostedEngineError) -> HostedEngineError) throws -> [Problem],
        write: (_ edited: [UInt8]) throws -> Outcome
    ) throws -> Outcome {
        func kept(_ error: HostedEngineError) -> HostedEngineError {
            .keptCopy(error, copy: file, workingDirectory: directory)
        }
        var rejected: [UInt8]?
        while true {
            guard let edited = try editedBytes(file, original: original, rejected: rejected, kept: kept) else {
                LocalFile.removeTree(directory)
                return .unchanged
            }
            let found = try problems(edited, kept)
            if found.isEmpty {
                do {
                    let outcome = try write(edited)
                    LocalFile.removeTree(directory)
                    return outcome
                } catch let error as HostedEngineError {
                    throw kept(error)
                }
            }
            rejected = edited
            try reopen(file, with: found, edited: edited, kept: kept)
        }
    }

    /// Runs the editor on `file` and returns what was saved, without this session's problem
    /// lines; nil when it is `original` again. An editor that failed, a file saved empty or
    /// saved again as it was `rejected` ends the session, the copy kept.
    func editedBytes(_ file: String, original: [UInt8], rejected: [UInt8]?, kept: (HostedEngineError) -> HostedEngineError) throws
        -> [UInt8]?
    {
        let status = try editor(file)
        if status == 128 + SIGINT || status == 128 + SIGQUIT || status == 130 {
            // Ctrl-C: the copy is kept only when it holds an edit.
            let saved = (try? LocalFile.read(file)).map(Self.removingProblems)
            if saved == nil || saved == original || saved == rejected {
                LocalFile.removeTree(LocalFile.parent(of: file))
                throw HostedEngineError.editAborted(.interrupted(copyRemoved: true))
            }
            throw kept(.editAborted(.interrupted(copyRemoved: false)))
        }
        guard status == 0 else { throw kept(.editAborted(.editorFailed(status: status))) }
        let saved: [UInt8]
        do {
            saved = try LocalFile.read(file)
        } catch {
            throw kept(.editAborted(.unreadable(file: file)))
        }
        let edited = Self.removingProblems(from: saved)
        if edited.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 9 || $0 == 13 }) {
            throw kept(.editAborted(.savedEmpty))
        }
        if edited == original { return nil }
        if edited == rejected {
            throw kept(.editAborted(.savedAgainUnfixed))
        }
        return edited
    }

    /// Writes `edited` back with `problems` as comments at its top, for the next round.
    func reopen(_ file: String, with problems: [Problem], edited: [UInt8], kept: (HostedEngineError) -> HostedEngineError) throws {
        let header =
            problems.map { Self.problemPrefix + $0.description }
            + [Self.problemPrefix + "fix the problems above and save; save an empty file to cancel."]
        try write(Array((header.joined(separator: "\n") + "\n").utf8) + edited, to: file, keeping: kept)
    }

    private func write(_ bytes: [UInt8], to file: String, keeping kept: (HostedEngineError) -> HostedEngineError) throws {
        do {
            try LocalFile.writeAtomically(file, bytes, mode: 0o600)
        } catch {
            throw kept(.editAborted(.notWritable(file: file, errno: error.rawValue)))
        }
    }

    /// The file without the problem lines this session put at its top.
    static func removingProblems(from bytes: [UInt8]) -> [UInt8] {
        let prefix = Array(problemPrefix.utf8)
        var rest = bytes[...]
        while rest.starts(with: prefix) {
            guard let newline = rest.firstIndex(of: 10) else { return [] }
            rest = rest[(newline + 1)...]
        }
        return Array(rest)
    }
}
