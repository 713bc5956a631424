import Foundation

/// What GNU tar, bsdtar and Python's tarfile make of an archive: the three readers hosts and
/// administrators use.
public enum TarReaders {
    public struct Listing: Equatable, Sendable, CustomStringConvertible {
        public let names: [String]
        public let contents: [String: [UInt8]]
        public var description: String { "\(names)" }
    }

    /// `dd if=VOLUME | tar -tf -` and `tar -xOf - NAME` for each member, as hosts do.
    public static func gnuTar(volume: String, count: Int = 20480) throws -> Listing {
        try listing(with: "tar", volume: volume, count: count)
    }

    public static func bsdtar(volume: String, count: Int = 20480) throws -> Listing {
        try listing(with: "bsdtar", volume: volume, count: count)
    }

    private static func listing(with program: String, volume: String, count: Int) throws -> Listing {
        let read = "dd if='\(volume)' bs=\(count) count=1 status=none | \(program)"
        let names = try Command.shell("\(read) -tf -").stdout.split(separator: "\n").map(String.init)
        var contents: [String: [UInt8]] = [:]
        for name in names {
            contents[name] = try Command.shell("\(read) -xOf - '\(name)'").stdoutBytes
        }
        return Listing(names: names, contents: contents)
    }

    /// Python's tarfile over the first `count` bytes, with each member's metadata.
    public static func python(volume: String, count: Int = 20480) throws -> (listing: Listing, metadata: [String]) {
        let script = """
            import io, sys, tarfile
            data = open(sys.argv[1], 'rb').read(int(sys.argv[2]))
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                for m in tar.getmembers():
                    body = tar.extractfile(m).read()
                    print(m.name, m.size, oct(m.mode), m.uid, m.gid, m.uname, m.gname, int(m.mtime), body.hex(), sep='\\t')
            """
        let result = try Command.run("python3", ["-c", script, volume, String(count)]).requireSuccess("python3 tarfile")
        var names: [String] = []
        var contents: [String: [UInt8]] = [:]
        var metadata: [String] = []
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            names.append(fields[0])
            contents[fields[0]] = Self.bytes(fromHex: fields[8])
            metadata.append(fields[0..<8].joined(separator: " "))
        }
        return (Listing(names: names, contents: contents), metadata)
    }

    static func bytes(fromHex hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }
}
