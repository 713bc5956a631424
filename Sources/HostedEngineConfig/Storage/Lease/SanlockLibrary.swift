import CSanlock
import Glibc

/// libsanlock's client calls, found at run time: the one portable binary runs where sanlock is
/// absent, and uses it where it is (every oVirt host has it: vdsm and the HA agents need it).
final class SanlockLibrary: Sendable {
    typealias Register = @convention(c) () -> Int32
    typealias Acquire =
        @convention(c) (
            Int32, Int32, UInt32, Int32, UnsafeMutablePointer<UnsafeMutablePointer<sanlk_resource>?>?, UnsafeMutablePointer<sanlk_options>?
        ) -> Int32
    typealias Release = @convention(c) (Int32, Int32, UInt32, Int32, UnsafeMutablePointer<UnsafeMutablePointer<sanlk_resource>?>?) -> Int32
    typealias Lockspace = @convention(c) (UnsafeMutablePointer<sanlk_lockspace>?, UInt32) -> Int32
    typealias WriteResource = @convention(c) (UnsafeMutablePointer<sanlk_resource>?, Int32, Int32, UInt32) -> Int32
    typealias ReadResource = @convention(c) (UnsafeMutablePointer<sanlk_resource>?, UInt32) -> Int32
    typealias GetLockspaces =
        @convention(c) (UnsafeMutablePointer<UnsafeMutablePointer<sanlk_lockspace>?>?, UnsafeMutablePointer<Int32>?, UInt32) -> Int32

    let register: Register
    let acquire: Acquire
    let release: Release
    let inquireLockspace: Lockspace
    let addLockspace: Lockspace
    let removeLockspace: Lockspace
    let writeResource: WriteResource
    let readResource: ReadResource
    /// Every lockspace this host's daemon has, joined or being joined or left (sanlock_admin.h);
    /// nil in a library too old to have it, where the lockspace is inquired by its path instead.
    let getLockspaces: GetLockspaces?

    /// EL9's sanlock-lib and Debian's libsanlock1 both ship these; the client library needs
    /// only libc.
    static let names = ["libsanlock_client.so.1", "libsanlock.so.1"]

    /// The library, or why it could not be loaded (said under --verbose).
    static let loaded: Result<SanlockLibrary, LoadFailure> = {
        var reasons: [String] = []
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                reasons.append(dlerror().map { String(cString: $0) } ?? name)
                continue
            }
            if let library = SanlockLibrary(handle) { return .success(library) }
            reasons.append("\(name) lacks a call this tool uses")
        }
        return .failure(LoadFailure(reason: reasons.joined(separator: "; ")))
    }()

    struct LoadFailure: Error {
        let reason: String
    }

    private init?(_ handle: UnsafeMutableRawPointer) {
        func symbol<Function>(_ name: String, as type: Function.Type) -> Function? {
            dlsym(handle, name).map { unsafeBitCast($0, to: type) }
        }
        guard let register = symbol("sanlock_register", as: Register.self),
            let acquire = symbol("sanlock_acquire", as: Acquire.self),
            let release = symbol("sanlock_release", as: Release.self),
            let inquireLockspace = symbol("sanlock_inq_lockspace", as: Lockspace.self),
            let addLockspace = symbol("sanlock_add_lockspace", as: Lockspace.self),
            let removeLockspace = symbol("sanlock_rem_lockspace", as: Lockspace.self),
            let writeResource = symbol("sanlock_write_resource", as: WriteResource.self),
            let readResource = symbol("sanlock_read_resource", as: ReadResource.self)
        else { return nil }
        self.register = register
        self.acquire = acquire
        self.release = release
        self.inquireLockspace = inquireLockspace
        self.addLockspace = addLockspace
        self.removeLockspace = removeLockspace
        self.writeResource = writeResource
        self.readResource = readResource
        self.getLockspaces = symbol("sanlock_get_lockspaces", as: GetLockspaces.self)
    }

    /// The lockspaces this host's daemon has, each with its flags (SANLK_LSF_ADD while being
    /// joined, SANLK_LSF_REM while being left); nil when they cannot be listed.
    func lockspaces() -> [sanlk_lockspace]? {
        guard let getLockspaces else { return nil }
        var list: UnsafeMutablePointer<sanlk_lockspace>?
        var count: Int32 = 0
        let result = getLockspaces(&list, &count, 0)
        defer { free(list) }
        guard result == 0 || result == -ENOSPC, let list, count >= 0 else { return result == 0 ? [] : nil }
        return Array(UnsafeBufferPointer(start: list, count: Int(count)))
    }
}
