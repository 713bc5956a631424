import Foundation

/// A directory of its own for one test, removed when the test is done. Tests run in parallel
/// in one process, so nothing here changes the working directory or the environment.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    /// A directory under `root` (the system's temporary folder unless given; `/dev/shm` makes
    /// fsync cheap for tests that write thousands of times).
    public init(_ label: String = "test", root: String? = nil) throws {
        var template = Array(((root ?? NSTemporaryDirectory()) + "/hosted-engine-\(label)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        path = String(cString: made)
        // The tool does storage I/O as vdsm (36:36) when run as root: vdsm must be able to
        // reach the volumes tests make here, as it reaches oVirt's storage folders.
        chmod(path, 0o755)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    public func file(_ name: String) -> String {
        path + "/" + name
    }

    /// `name` in a folder of this directory that vdsm owns, as it owns oVirt's image folders,
    /// where the tool (doing storage I/O as vdsm) can make a small volume's journal and lease.
    public func vdsmFile(_ name: String) throws -> String {
        let folder = file("vdsm-image")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Files.giveToVdsm(folder)
        return folder + "/" + name
    }

    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    public func read(_ name: String) throws -> [UInt8] {
        try Files.read(file(name))
    }
}

public enum Files {
    /// Gives `path` to vdsm:kvm (36:36), as oVirt's volumes are, when the tests run as root.
    public static func giveToVdsm(_ path: String) throws {
        guard geteuid() == 0 else { return }
        guard lchown(path, 36, 36) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    public static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The first `count` bytes of a file or block device.
    public static func readPrefix(_ path: String, count: Int) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        return [UInt8](try handle.read(upToCount: count) ?? Data())
    }

    /// Writes `bytes` at `offset` without truncating, as `dd conv=notrunc` does.
    public static func overwrite(_ path: String, with bytes: [UInt8], at offset: UInt64 = 0) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(bytes))
        try handle.synchronize()
    }

    public static func size(_ path: String) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? -1
    }
}

/// Byte-array equality through memcmp: `==` on large arrays is slow in debug builds, and the
/// crash sweep compares hundreds of thousands of them.
public func sameBytes(_ left: [UInt8], _ right: [UInt8]) -> Bool {
    guard left.count == right.count else { return false }
    if left.isEmpty { return true }
    return left.withUnsafeBytes { l in right.withUnsafeBytes { r in memcmp(l.baseAddress!, r.baseAddress!, l.count) == 0 } }
}
