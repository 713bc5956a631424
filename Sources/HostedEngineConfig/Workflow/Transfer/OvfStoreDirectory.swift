import Glibc

/// A directory holding a downloaded OVF_STORE: one file per member, and under `.hosted-engine/`
/// the copy it came from and the archive's checksum when it was downloaded (the base of the
/// upload's compare-and-swap). The members' order is the volume's.
public struct OvfStoreDirectory: Sendable {
    static let stateName = WorkingCopy.metadataName + "/ovf-store"

    public let directory: String
    /// The OVF_STORE volume it was downloaded from.
    public let volumePath: String
    public let base: Checksum

    init(directory: String, volumePath: String, base: Checksum) {
        self.directory = directory
        self.volumePath = volumePath
        self.base = base
    }

    /// Opens a directory `--download-ovf-store` made.
    public init(opening directory: String) throws {
        let statePath = directory + "/" + Self.stateName
        let state: ConfigFile
        do {
            state = try ConfigFile(name: statePath, bytes: try LocalFile.read(statePath))
        } catch {
            throw HostedEngineError.workingDirectory(directory, .notADownload(statePath: statePath))
        }
        guard let volume = try state.value(forKey: "volume", section: nil),
            let baseText = try state.value(forKey: "base", section: nil), let base = Checksum(parsing: baseText)
        else {
            throw HostedEngineError.workingDirectory(directory, .damagedDownloadState(statePath: statePath))
        }
        self.init(directory: directory, volumePath: volume, base: base)
    }

    func save(downloaded: Int64) throws {
        let state = "volume=\(volumePath)\nbase=\(base)\ndownloaded=\(downloaded)\n"
        do {
            try LocalFile.makeDirectories(directory + "/" + WorkingCopy.metadataName, mode: 0o700)
            try LocalFile.writeAtomically(directory + "/" + Self.stateName, Array(state.utf8), mode: 0o600)
        } catch {
            throw HostedEngineError.workingDirectory(
                directory, .metadataNotWritten(folder: WorkingCopy.metadataName, errno: error.rawValue))
        }
    }

    /// A member name this tool writes as a file of the directory, and reads back: no folder, not
    /// hidden (`.hosted-engine` is ours), not too long for a tar header.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && name.utf8.count <= 100
            && !name.utf8.contains { $0 < 32 || $0 == 127 }
    }

    /// What an upload may take from the directory: a member of an OVF_STORE.
    static func isMemberName(_ name: String) -> Bool {
        isPlainName(name) && (name.hasSuffix(".ovf") || name.hasSuffix(".json"))
    }

    /// The directory's files (name and size), every one checked: regular, a member's name.
    func files() throws -> [(name: String, size: Int)] {
        let names: [String]
        do {
            names = try LocalFile.list(directory)
        } catch {
            throw HostedEngineError.workingDirectory(directory, .notListable(errno: error.rawValue))
        }
        var files: [(name: String, size: Int)] = []
        for name in names where name != WorkingCopy.metadataName {
            var status = stat()
            guard lstat(directory + "/" + name, &status) == 0 else {
                throw HostedEngineError.io(path: directory + "/" + DisplayText.printable(name), operation: "read", errno: errno)
            }
            guard status.st_mode & S_IFMT == S_IFREG else {
                throw HostedEngineError.workingDirectory(directory, .notARegularFile(name: name))
            }
            guard Self.isMemberName(name) else {
                throw HostedEngineError.workingDirectory(directory, .notAnOvfStoreMember(name: name))
            }
            files.append((name, Int(status.st_size)))
        }
        return files
    }
}
