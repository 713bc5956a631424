import Glibc

/// What a key's value must look like. Checked before anything is written, so a typo cannot
/// reach the broker (which would fail on it at the next notification, silently).
public enum ValueRule: Sendable, Equatable {
    /// A DNS host name or an IPv4/IPv6 address (smtplib takes either).
    case hostOrAddress
    /// A TCP port, 1-65535.
    case port
    /// One e-mail address.
    case emailAddress
    /// E-mail addresses separated by commas (the broker splits on ` *, *`).
    case emailList
    /// State names separated by `|` (the broker uses the value as a regular expression).
    case stateList
    /// What the agent's network monitor does: `dns`, `ping`, `tcp` or `none`.
    case networkTest
    /// An IPv4 or IPv6 address.
    case ipAddress
    /// Any one-line text.
    case text
    /// A key that may be read, not set; why, in words.
    case fixed(String)

    /// The rule in words, for error messages.
    public var expectation: String {
        switch self {
        case .hostOrAddress: return "expected a host name or an IP address, like smtp.example.com or 192.0.2.25"
        case .port: return "expected a port number from 1 to 65535"
        case .emailAddress: return "expected one e-mail address, like ovirt@example.com"
        case .emailList: return "expected e-mail addresses separated by commas, like admin@example.com,ops@example.com"
        case .stateList: return "expected state names separated by '|', like maintenance|start|stop|migrate|up|down"
        case .networkTest: return "expected dns, ping, tcp or none"
        case .ipAddress: return "expected an IP address, like 192.0.2.1 or 2001:db8::1"
        case .text: return "expected one line of text"
        case let .fixed(reason): return reason
        }
    }

    /// Whether a value may be set at all.
    public var isEditable: Bool {
        if case .fixed = self { return false }
        return true
    }

    /// Throws `invalidValue` naming the key, the value and the rule when `value` breaks it.
    public func validate(_ value: String, key: String) throws {
        if case let .fixed(reason) = self { throw HostedEngineError.notEditable(key: key, reason: reason) }
        if let scalar = value.unicodeScalars.first(where: DisplayText.isControl) {
            let what = scalar == "\n" || scalar == "\r" ? "a line break" : "a control character"
            throw HostedEngineError.invalidValue(
                key: key, value: value, rule: "it contains \(what), which would corrupt the file; give the value on one line")
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
        case .networkTest:
            return ["dns", "ping", "tcp", "none"].contains(value)
        case .ipAddress:
            return Self.isIPAddress(value)
        case .fixed:
            return false
        case .port:
            guard value.utf8.count <= 5, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let number = Int(value) else { return false }
            return (1...65535).contains(number)
        case .emailAddress:
            return Self.isEmailAddress(value)
        case .emailList:
            let items = Self.split(value, on: ",").map(Self.trimmingSpaces)
            return !items.isEmpty && items.allSatisfy(Self.isEmailAddress)
        case .stateList:
            let names = Self.split(value, on: "|")
            return names.allSatisfy { name in
                guard let first = name.utf8.first, Self.isLetter(first) else { return false }
                return name.utf8.allSatisfy { Self.isLetter($0) || Self.isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
            }
        case .text:
            return true
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
