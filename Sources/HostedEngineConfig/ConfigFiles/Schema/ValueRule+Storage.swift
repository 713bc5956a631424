/// The forms of hosted-engine.conf's identity and storage connection keys, as upstream's agent
/// (`lib/storage_server.py`) and vdsm take them.
extension ValueRule {
    func acceptsStorageForm(_ value: String) -> Bool {
        switch self {
        case .uuid:
            return Self.isUUID(value)
        case let .integer(range):
            return Self.integer(value).map(range.contains) ?? false
        case .storageConnection:
            return Self.isFileStorage(value) || Self.isAddressList(value)
        case .mountOptions:
            return Self.split(value, on: ",").allSatisfy(Self.isMountOption)
        case .iscsiNames:
            return Self.split(value, on: ",").allSatisfy(Self.isIscsiName)
        case let .integerList(range):
            return Self.split(value, on: ",").allSatisfy { Self.integer($0).map(range.contains) ?? false }
        case .pathsBlacklist:
            // The agent splits each item at `<>` and takes the interface and the portal.
            return Self.split(value, on: ",").allSatisfy { item in
                let parts = item.split(separator: "<", omittingEmptySubsequences: false)
                return parts.count == 2 && !parts[0].isEmpty && parts[1].hasPrefix(">") && parts[1].count > 1
            }
        default:
            return false
        }
    }

    static func isUUID(_ value: String) -> Bool {
        let groups = split(value, on: "-")
        return groups.map(\.utf8.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.utf8.allSatisfy(isHexDigit) }
    }

    /// Decimal digits only (no sign, no spaces), as vdsm and the agent compare them.
    static func integer(_ value: String) -> Int? {
        guard (1...9).contains(value.utf8.count), value.utf8.allSatisfy(isDigit) else { return nil }
        return Int(value)
    }

    /// `server:/path`: a host name, an IPv4 address or a bracketed IPv6 address, and an
    /// absolute path already in the form `os.path.normpath` gives it (the agent rewrites any
    /// other form and warns, and vdsm then mounts it twice).
    static func isFileStorage(_ value: String) -> Bool {
        let server: Substring
        let path: Substring
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]"), value[value.index(after: close)...].hasPrefix(":") else { return false }
            guard isIPAddress(String(value[value.index(after: value.startIndex)..<close])) else { return false }
            server = value[...close]
            path = value[value.index(close, offsetBy: 2)...]
        } else {
            guard let colon = value.firstIndex(of: ":") else { return false }
            server = value[..<colon]
            path = value[value.index(after: colon)...]
            guard isHostName(String(server)) || isIPAddress(String(server)) else { return false }
        }
        guard !server.isEmpty, path.hasPrefix("/") else { return false }
        if path == "/" { return true }
        let components = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        return components.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// iSCSI portals' addresses: host names or IP addresses separated by commas.
    static func isAddressList(_ value: String) -> Bool {
        split(value, on: ",").allSatisfy { isHostName($0) || isIPAddress($0) }
    }

    /// `name` or `name=value`: the name of letters, digits, `_` and `-`; the value without
    /// commas or spaces (mount(8) splits options at commas).
    static func isMountOption(_ option: String) -> Bool {
        let parts = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = parts.first, !name.isEmpty,
            name.utf8.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else { return false }
        guard parts.count == 2 else { return true }
        return !parts[1].isEmpty && parts[1].utf8.allSatisfy { $0 > 32 && $0 < 127 }
    }

    /// RFC 3720 names: `iqn.YYYY-MM.reversed.domain[:anything]`, `eui.` and 16 hex digits,
    /// `naa.` and 16 or 32 hex digits.
    static func isIscsiName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if lowered.hasPrefix("eui.") { return lowered.utf8.count == 20 && lowered.utf8.dropFirst(4).allSatisfy(isHexDigit) }
        if lowered.hasPrefix("naa.") {
            return [20, 36].contains(lowered.utf8.count) && lowered.utf8.dropFirst(4).allSatisfy(isHexDigit)
        }
        guard lowered.hasPrefix("iqn."), lowered.utf8.count <= 223 else { return false }
        let rest = Array(lowered.utf8.dropFirst(4))
        guard rest.count > 8, rest[0..<4].allSatisfy(isDigit), rest[4] == UInt8(ascii: "-"), rest[5..<7].allSatisfy(isDigit),
            rest[7] == UInt8(ascii: ".")
        else { return false }
        let allowed: (UInt8) -> Bool = { isLetter($0) || isDigit($0) || [45, 46, 58].contains($0) }
        return rest[8...].allSatisfy(allowed) && rest[8] != UInt8(ascii: ".") && rest[8] != UInt8(ascii: ":")
    }

    static func isHexDigit(_ byte: UInt8) -> Bool { isDigit(byte) || (97...102).contains(byte) || (65...70).contains(byte) }
}
