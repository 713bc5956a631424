import Glibc

/// Finds who holds a lock: a process of this host through /proc (an open-file-description
/// lock shows pid -1 in /proc/locks, but the holder's /proc/PID/fdinfo/FD lists it), or the
/// host that holds a sanlock lease, from the lease's leader record on the storage.
enum LockHolderSearch {
    /// The process of this host, other than this one, whose descriptor holds a lock on the file
    /// `status` describes. Needs root to see other users' processes; nil when none is seen.
    static func process(holding status: stat) -> LockHolder? {
        let major = (UInt64(status.st_dev) >> 8) & 0xfff | ((UInt64(status.st_dev) >> 32) & ~UInt64(0xfff))
        let minor = UInt64(status.st_dev) & 0xff | ((UInt64(status.st_dev) >> 12) & ~UInt64(0xff))
        let wanted = hex2(major) + ":" + hex2(minor) + ":" + String(status.st_ino)
        let me = getpid()
        guard let processes = try? LocalFile.list("/proc") else { return nil }
        for name in processes {
            guard let pid = Int32(name), pid != me, let descriptors = try? LocalFile.list("/proc/\(pid)/fdinfo") else { continue }
            for descriptor in descriptors {
                guard let bytes = try? LocalFile.read("/proc/\(pid)/fdinfo/\(descriptor)", limit: 65536),
                    let text = String(validating: bytes, as: UTF8.self)
                else { continue }
                let holds = text.split(separator: "\n").contains { line in
                    line.hasPrefix("lock:") && line.contains(" WRITE ") && line.split(separator: " ").contains { $0 == wanted }
                }
                if holds { return .process(pid: pid, command: commandLine(of: pid)) }
            }
        }
        return nil
    }

    /// The command line of `pid`, its arguments joined by spaces, bounded.
    static func commandLine(of pid: Int32) -> String {
        guard let bytes = try? LocalFile.read("/proc/\(pid)/cmdline", limit: 4096) else { return "?" }
        let words = bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        let line = words.joined(separator: " ")
        return line.count > 200 ? String(line.prefix(199)) + "…" : line
    }

    /// The host that holds a sanlock lease, from its leader record (sanlock's leader.h: magic
    /// 0x06152010, little-endian; owner_id at 32, timestamp at 152, zero once released).
    static func host(holdingLeaseIn leader: [UInt8]) -> LockHolder? {
        func number(_ offset: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(UInt64(0)) { $0 | UInt64(leader[offset + $1]) << (8 * UInt64($1)) }
        }
        guard leader.count >= 160, number(0, 4) == 0x0615_2010, number(152, 8) != 0 else { return nil }
        let owner = number(32, 8)
        return owner > 0 ? .host(id: owner) : nil
    }

    private static func hex2(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return digits.count < 2 ? "0" + digits : digits
    }
}
