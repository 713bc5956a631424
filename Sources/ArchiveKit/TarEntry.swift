/// What a tar header says about one member, as libarchive decoded it.
public struct TarEntry: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case regular, directory, symbolicLink, hardLink, characterDevice, blockDevice, fifo, socket, other
    }

    /// The member's name exactly as stored (tar names are bytes, not necessarily UTF-8).
    public var pathBytes: [UInt8]
    public var kind: Kind
    public var size: Int64
    /// Permission bits only (`0o644`), without the file-type bits.
    public var permissions: UInt32
    public var uid: Int64
    public var gid: Int64
    public var userName: String?
    public var groupName: String?
    /// Seconds since the epoch.
    public var modificationTime: Int64
    public var linkTarget: String?
    /// Offset in the stream of the first header block of this member (pax or GNU extension
    /// headers included), as libarchive reports it.
    public var headerOffset: Int64
    /// libarchive's warnings for this header (for example a name it could not convert).
    public var warnings: [String]

    public init(
        pathBytes: [UInt8], kind: Kind = .regular, size: Int64 = 0, permissions: UInt32 = 0o644,
        uid: Int64 = 0, gid: Int64 = 0, userName: String? = nil, groupName: String? = nil,
        modificationTime: Int64 = 0, linkTarget: String? = nil, headerOffset: Int64 = 0,
        warnings: [String] = []
    ) {
        self.pathBytes = pathBytes
        self.kind = kind
        self.size = size
        self.permissions = permissions
        self.uid = uid
        self.gid = gid
        self.userName = userName
        self.groupName = groupName
        self.modificationTime = modificationTime
        self.linkTarget = linkTarget
        self.headerOffset = headerOffset
        self.warnings = warnings
    }

    public init(path: String, size: Int64 = 0, permissions: UInt32 = 0o644) {
        self.init(pathBytes: Array(path.utf8), size: size, permissions: permissions)
    }

    /// The name as text; bytes that are not UTF-8 show as U+FFFD.
    public var path: String { String(decoding: pathBytes, as: UTF8.self) }

    /// True when the name is valid UTF-8.
    public var pathIsUTF8: Bool { String(validating: pathBytes, as: UTF8.self) != nil }
}

extension TarEntry.Kind: CustomStringConvertible {
    /// For messages: `regular file`, `symbolic link`, ...
    public var description: String {
        switch self {
        case .regular: return "regular file"
        case .directory: return "directory"
        case .symbolicLink: return "symbolic link"
        case .hardLink: return "hard link"
        case .characterDevice: return "character device"
        case .blockDevice: return "block device"
        case .fifo: return "FIFO"
        case .socket: return "socket"
        case .other: return "special file"
        }
    }
}
