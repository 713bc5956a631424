import Glibc

/// What a key's value must look like. Checked before anything is written, so a typo cannot
/// reach the broker (which would fail on it at the next notification, silently).
public indirect enum ValueRule: Sendable, Equatable {
    /// A DNS host name or an IPv4/IPv6 address (smtplib takes either).
    case hostOrAddress
    /// A TCP port, 1-65535.
    case port
    /// One e-mail address.
    case emailAddress
    /// E-mail addresses separated by commas (the broker splits on ` *, *`).
    case emailList
    /// A regular expression as the broker uses it: `re.search(value.lower(), ...)` in Python.
    case pythonRegex
    /// One of these words, exactly.
    case oneOf([String])
    /// An IPv4 or IPv6 address.
    case ipAddress
    /// Any one-line text.
    case text
    /// Any one-line text, or nothing (CHAP user and password).
    case optionalText
    /// A UUID, 8-4-4-4-12 hex digits.
    case uuid
    /// A whole number in the range.
    case integer(ClosedRange<Int>)
    /// Where the agent connects the storage domain: `server:/path` (NFS, Gluster) or addresses
    /// separated by commas (iSCSI).
    case storageConnection
    /// Mount options separated by commas, `name` or `name=value`; or nothing.
    case mountOptions
    /// iSCSI names (`iqn.`, `eui.`, `naa.`) separated by commas.
    case iscsiNames
    /// Whole numbers in the range, separated by commas (iSCSI ports, portal groups).
    case integerList(ClosedRange<Int>)
    /// `iface<>portal` pairs separated by commas; or nothing.
    case pathsBlacklist
    /// A key that identifies the deployment: refused, but `--force` sets it when it has `form`;
    /// why, in words.
    case identity(String, form: ValueRule)
    /// A key that may be read, not set; why, in words.
    case fixed(String)

    /// The rule in words, for error messages.
    public var expectation: String {
        switch self {
        case .hostOrAddress: return "expected a host name or an IP address, like smtp.example.com or 192.0.2.25"
        case .port: return "expected a port number from 1 to 65535"
        case .emailAddress: return "expected one e-mail address, like ovirt@example.com"
        case .emailList: return "expected e-mail addresses separated by commas, like admin@example.com,ops@example.com"
        case .pythonRegex:
            return "expected a regular expression as Python's re reads it, like maintenance|start|stop|migrate|up|down or .*"
        case let .oneOf(words): return "expected " + HostedEngineError.list(words, conjunction: "or")
        case .ipAddress: return "expected an IP address, like 192.0.2.1 or 2001:db8::1"
        case .text: return "expected one line of text"
        case .optionalText: return "expected one line of text, or nothing"
        case .uuid: return "expected a UUID, like 8a6a3a4e-5b8f-4c2e-9d61-0c1e7f3b2a90"
        case let .integer(range): return "expected a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .storageConnection:
            return
                "expected server:/path for NFS or Gluster (like nfs.example.com:/exports/he, no trailing '/'), or addresses separated by commas for iSCSI"
        case .mountOptions: return "expected mount options separated by commas, like backup-volfile-servers=gl2:gl3, or nothing"
        case .iscsiNames: return "expected iSCSI names separated by commas, like iqn.2003-01.org.example:he"
        case let .integerList(range):
            return "expected numbers from \(range.lowerBound) to \(range.upperBound) separated by commas, one per address in storage"
        case .pathsBlacklist: return "expected iface<>portal pairs separated by commas, or nothing"
        case let .identity(reason, _): return reason
        case let .fixed(reason): return reason
        }
    }

    /// Whether a value may be set at all.
    public var isEditable: Bool {
        switch self {
        case .fixed, .identity: return false
        default: return true
        }
    }

    /// Whether nothing is a value of it.
    var allowsEmpty: Bool {
        switch self {
        case .optionalText, .mountOptions, .pathsBlacklist: return true
        default: return false
        }
    }

    /// Throws `invalidValue` naming the key, the value and the rule when `value` breaks it. An
    /// identity key is refused unless `force`, and then checked against its form.
    public func validate(_ value: String, key: String, force: Bool = false) throws {
        if case let .fixed(reason) = self { throw HostedEngineError.notEditable(key: key, reason: .fixed(why: reason)) }
        if case let .identity(reason, form) = self {
            guard force else {
                throw HostedEngineError.notEditable(key: key, reason: .identity(why: reason))
            }
            try form.validate(value, key: key)
            return
        }
        if let scalar = value.unicodeScalars.first(where: DisplayText.isControl) {
            let what = scalar == "\n" || scalar == "\r" ? "a line break" : "a control character"
            throw HostedEngineError.invalidValue(
                key: key, value: value, rule: "it contains \(what), which would corrupt the file; give the value on one line")
        }
        if value.isEmpty, allowsEmpty { return }
        if case .pythonRegex = self, let problem = PythonRegex.problem(in: PythonText.lower(value)) {
            throw HostedEngineError.invalidValue(
                key: key, value: value,
                rule: "the broker lowercases it and uses it as a Python regular expression, and Python's re refuses it: \(problem)")
        }
        if value.isEmpty {
            throw HostedEngineError.invalidValue(key: key, value: value, rule: "a value cannot be empty; \(expectation)")
        }
        guard accepts(value) else {
            throw HostedEngineError.invalidValue(key: key, value: value, rule: expectation)
        }
    }

    func accepts(_ value: String) -> Bool {
        switch self {
        case .hostOrAddress:
            return Self.isHostName(value) || Self.isIPAddress(value)
        case let .oneOf(words):
            return words.contains(value)
        case .ipAddress:
            return Self.isIPAddress(value)
        case .fixed, .identity:
            return false
        case .port:
            guard value.utf8.count <= 5, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let number = Int(value) else { return false }
            return (1...65535).contains(number)
        case .emailAddress:
            return Self.isEmailAddress(value)
        case .emailList:
            let items = Self.split(value, on: ",").map(Self.trimmingSpaces)
            return !items.isEmpty && items.allSatisfy(Self.isEmailAddress)
        case .pythonRegex:
            return PythonRegex.problem(in: PythonText.lower(value)) == nil
        case .text, .optionalText:
            return true
        case .uuid, .integer, .storageConnection, .mountOptions, .iscsiNames, .integerList, .pathsBlacklist:
            return acceptsStorageForm(value)
        }
    }

    /// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. A name
    /// whose last label is all digits is an IPv4 address or nothing.
    static func isHostName(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        let labels = split(value, on: ".")
        guard let last = labels.last, !last.utf8.allSatisfy(isDigit) else { return false }
        return labels.allSatisfy { label in
            let chars = Array(label.utf8)
            guard (1...63).contains(chars.count), chars.first != UInt8(ascii: "-"), chars.last != UInt8(ascii: "-") else { return false }
            return chars.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
        }
    }

    static func isIPAddress(_ value: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        if value.contains(":") {
            return inet_pton(AF_INET6, value, &buffer) == 1
        }
        // inet_pton's IPv4 form is exactly four decimal octets, which is what smtplib expects.
        return inet_pton(AF_INET, value, &buffer) == 1
    }

    /// `local@domain`, the local part a dot-atom without `%` (configparser would read `%` as
    /// interpolation and fail), the domain a host name (`root@localhost` is upstream's default).
    static func isEmailAddress(_ value: String) -> Bool {
        let parts = split(value, on: "@")
        guard parts.count == 2, value.utf8.count <= 254 else { return false }
        let local = parts[0]
        let atext = Set("!#$&'*+/=?^_`{|}~-".utf8)
        let atoms = split(local, on: ".")
        guard (1...64).contains(local.utf8.count),
            atoms.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { isLetter($0) || isDigit($0) || atext.contains($0) } })
        else { return false }
        return isHostName(parts[1])
    }

    static func split(_ value: String, on separator: Character) -> [String] {
        value.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }

    static func trimmingSpaces(_ value: String) -> String {
        String(value.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    static func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
    static func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
}
