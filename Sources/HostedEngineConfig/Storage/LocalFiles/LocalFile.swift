import Glibc
import SystemPackage

/// Local files (hosted-engine.conf, backups, working directories) without Foundation.
enum LocalFile {
    enum ReadError: Error {
        case system(Errno)
        case tooLarge
        /// A FIFO, a device, a folder: never read (a FIFO would hang the reader).
        case notARegularFile

        /// Why, in words.
        var reason: String {
            switch self {
            case let .system(error): return error.reason
            case .tooLarge: return "it is too large"
            case .notARegularFile: return "it is not a regular file"
            }
        }
    }

    /// `path` opened for reading, never through a link as its last component; a failure is the
    /// `io` error that says so.
    static func openForReading(_ path: String) throws -> Int32 {
        do {
            return try SystemCalls.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        } catch {
            throw HostedEngineError.io(path: path, operation: "read", errno: error.rawValue)
        }
    }

    /// A regular file's bytes, up to `limit`: opened without blocking, then checked with fstat.
    /// `orPipe`: a pipe the administrator named (`<(...)`) is read too.
    /// `followLink: false`: a link as the last component is refused (ELOOP), as in a folder
    /// another user owns.
    static func read(_ path: String, limit: Int = 1 << 20, orPipe: Bool = false, followLink: Bool = true) throws(ReadError) -> [UInt8] {
        let descriptor: Int32
        do {
            descriptor = try SystemCalls.open(path, O_RDONLY | O_CLOEXEC | (orPipe ? 0 : O_NONBLOCK) | (followLink ? 0 : O_NOFOLLOW))
        } catch {
            throw .system(error)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .system(Errno(rawValue: errno)) }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG || (orPipe && kind == S_IFIFO) else { throw .notARegularFile }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count: Int
            do {
                count = try SystemCalls.read(descriptor, into: &chunk)
            } catch {
                throw .system(error)
            }
            if count == 0 { return result }
            result += chunk[0..<count]
            if result.count > limit { throw .tooLarge }
        }
    }

    /// Replaces `path` with `bytes` atomically: see `writeAtomically(in:name:...)`, in the folder
    /// `path` is in.
    static func writeAtomically(
        _ path: String, _ bytes: some ByteStream, mode: mode_t, owner: (uid: uid_t, gid: gid_t)? = nil,
        temporaryPrefix: String = ".hosted-engine-tmp-"
    ) throws(Errno) {
        let folder = try SystemCalls.open(parent(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(folder) }
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        try writeAtomically(in: folder, name: name, bytes, mode: mode, owner: owner, temporaryPrefix: temporaryPrefix)
    }

    /// Replaces `name` in the folder open as `folder` with `bytes`: a new file is made there, relative
    /// to the folder's descriptor (`openat`, `O_CREAT | O_EXCL | O_NOFOLLOW`, so never through a link
    /// planted meanwhile), given `mode` and `owner`, written, fsynced and renamed over `name` (a link
    /// there is replaced, not followed), then the folder is fsynced. On failure the new file is
    /// removed and `name` is as it was.
    static func writeAtomically(
        in folder: Int32, name: String, _ bytes: some ByteStream, mode: mode_t, owner: (uid: uid_t, gid: gid_t)? = nil,
        temporaryPrefix: String = ".hosted-engine-tmp-"
    ) throws(Errno) {
        var temporary = ""
        var descriptor: Int32 = -1
        for _ in 0..<100 {
            // The writer's pid in the name tells a file cut short by a kill from one being written.
            temporary = temporaryPrefix + "\(getpid())-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            do {
                descriptor = try SystemCalls.open(temporary, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode: 0o600, in: folder)
                break
            } catch {
                if error != .fileExists { throw error }
            }
        }
        guard descriptor >= 0 else { throw Errno.fileExists }
        var failed: Int32 = 0
        do { try SystemCalls.setMode(descriptor, mode, owner: owner) } catch { failed = error.rawValue }
        if failed == 0 {
            do {
                try bytes.forEachChunk { chunk in try SystemCalls.writeAll(descriptor, chunk) }
            } catch let error as Errno {
                failed = error.rawValue
            } catch let error as HostedEngineError {
                if case let .io(_, _, code) = error { failed = code } else { failed = EIO }
            } catch {
                failed = EIO
            }
        }
        if failed == 0 {
            do { try SystemCalls.synchronize(descriptor) } catch { failed = error.rawValue }
        }
        close(descriptor)
        if failed == 0 {
            do { try SystemCalls.rename(temporary, to: name, in: folder) } catch { failed = error.rawValue }
        }
        if failed != 0 {
            try? SystemCalls.remove(temporary, in: folder)
            throw Errno(rawValue: failed)
        }
        // The rename is durable only once the folder is: a failure here is a failure to write.
        try SystemCalls.synchronize(folder)
    }

    /// Removes the temporary files (`prefix`) that writes cut short left in `folder`: those of a
    /// process that is gone, and any an hour old. Best effort: returns how many it removed.
    @discardableResult
    static func removeStaleTemporaries(in folder: String, prefix: String = ".hosted-engine-tmp-", now: Int64 = TimeText.now())
        -> Int
    {
        guard let names = try? list(folder) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix) {
            let path = folder + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" })
            let writerGone = pid.map { $0 > 0 && kill($0, 0) != 0 && errno == ESRCH } ?? false
            guard writerGone || now - Int64(status.st_mtim.tv_sec) > 3600 else { continue }
            if (try? SystemCalls.remove(path)) != nil { removed += 1 }
        }
        return removed
    }

    /// Makes what was renamed or removed in the folder at `path` durable: a failure is a failure
    /// of the write that needed it.
    static func syncDirectory(_ path: String) throws(Errno) {
        let descriptor = try SystemCalls.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { close(descriptor) }
        try SystemCalls.synchronize(descriptor)
    }

    /// Creates `path` and missing parents; the last one gets `mode`.
    static func makeDirectories(_ path: String, mode: mode_t) throws(Errno) {
        if isDirectory(path) { return }
        let up = parent(of: path)
        if up != path, !up.isEmpty, !isDirectory(up) { try makeDirectories(up, mode: 0o755) }
        try SystemCalls.makeDirectory(path, mode: mode)
        chmod(path, mode)
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Names in a directory, without `.` and `..`.
    static func list(_ path: String) throws(Errno) -> [String] {
        guard let handle = opendir(path) else { throw Errno(rawValue: errno) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// A new private (0700) directory under `root`.
    static func makeTemporaryDirectory(in root: String, prefix: String) throws -> String {
        var template = Array((root + "/" + prefix + "XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw HostedEngineError.io(path: root, operation: "make a private folder in", errno: errno)
        }
        return String(cString: made)
    }

    /// Removes a directory tree this tool made; symbolic links are removed, never followed.
    static func removeTree(_ path: String) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        if status.st_mode & S_IFMT == S_IFDIR {
            for name in (try? list(path)) ?? [] { removeTree(path + "/" + name) }
            try? SystemCalls.removeDirectory(path)
        } else {
            // Best effort: a test's or a failed checkout's leftovers.
            try? SystemCalls.remove(path)
        }
    }

    /// `path` from the root, as given otherwise (symbolic links kept).
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + path
    }

    /// The absolute, symlink-free form of an existing path.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
