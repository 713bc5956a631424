/// A configuration file edited the way a person would: one line changes, every other byte
/// (comments, blank lines, spacing, order, line endings) stays as it was.
///
/// Two layouts are understood. INI, as Python's configparser reads it (broker.conf): sections,
/// `=` or `:` between key and value, keys compared without case, indented continuation lines,
/// `#` and `;` comments. Flat `key=value`, as the HA agent reads hosted-engine.conf and older
/// broker.conf files: every line with an `=` is a key.
public struct ConfigFile: Sendable, Equatable {
    public enum Layout: Sendable, Equatable {
        case ini, flat
    }

    /// One key's line (and its continuation lines) as found in the file.
    public struct Entry: Sendable, Equatable {
        /// The section it is in; nil before any section and in flat files.
        public let section: String?
        /// The key as written.
        public let key: String
        /// The value as the consumer reads it: stripped, continuation lines joined by newlines.
        public let value: String
        /// Index of the key's line (0-based).
        public let lineIndex: Int
        /// Indices of continuation lines that belong to the value.
        public let continuationLines: [Int]
    }

    struct Line: Sendable, Equatable {
        var text: String
        /// `"\n"`, `"\r\n"`, a lone `"\r"`, or empty for a last line without one.
        var terminator: String
    }

    /// The member name, for messages (`broker.conf`).
    public let name: String
    public internal(set) var layout: Layout
    /// The layout was given, not told from the file.
    let layoutIsFixed: Bool
    var lines: [Line]
    public internal(set) var entries: [Entry] = []
    /// Section headers: name and line index, in file order.
    public internal(set) var sections: [(name: String, lineIndex: Int)] = []
    /// Lines that are neither blank, comment, section, key nor continuation.
    public internal(set) var unparsedLines: [Int] = []

    public static func == (lhs: ConfigFile, rhs: ConfigFile) -> Bool {
        lhs.name == rhs.name && lhs.lines == rhs.lines
    }

    /// Parses `bytes`, which must be UTF-8 text, split into lines as Python's text mode splits
    /// them. `layout` is how its reader takes it (broker.conf is INI whatever it holds); nil
    /// tells it from the file (INI when it has a section header).
    public init(name: String, bytes: [UInt8], layout: Layout? = nil) throws {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = Self.firstInvalidUTF8Offset(bytes)
            throw HostedEngineError.configFileInvalid(
                file: name, line: PythonText.lineNumber(ofOffset: offset, in: bytes),
                problem: .notUTF8(offset: offset))
        }
        self.name = name
        self.lines = PythonText.lines(text).map { Line(text: $0.text, terminator: $0.terminator) }
        self.layout = layout ?? .flat
        self.layoutIsFixed = layout != nil
        reparse()
    }

    /// The file's bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        for line in lines {
            out += line.text.utf8
            out += line.terminator.utf8
        }
        return out
    }

    /// The 1-based line number of a line index, for `FILE:LINE:` messages.
    public static func lineNumber(ofIndex index: Int) -> Int { index + 1 }

    /// Entries for `key` in `section` (INI) or anywhere (flat). In INI files keys are compared
    /// without case, as configparser does, and `[DEFAULT]` supplies keys a section lacks.
    public func entries(forKey key: String, section: String?) -> [Entry] {
        switch layout {
        case .flat:
            return entries.filter { $0.key == key }
        case .ini:
            let wanted = PythonText.lower(key)
            let own = entries.filter { $0.section == section && PythonText.same(PythonText.lower($0.key), wanted) }
            if own.isEmpty, section != "DEFAULT" {
                return entries.filter { $0.section == "DEFAULT" && PythonText.same(PythonText.lower($0.key), wanted) }
            }
            return own
        }
    }

    /// The value of `key`, nil when the file does not set it. Throws when it is set more than
    /// once, which configparser refuses and which would make any edit ambiguous.
    public func value(forKey key: String, section: String?) throws -> String? {
        let found = entries(forKey: key, section: section)
        try requireSingle(found, key: key, section: section)
        return found.first?.value
    }

    /// Sets `key` to `value`, editing its line in place or adding it to `section`. Returns false
    /// when the file already says exactly that, and leaves the file untouched.
    @discardableResult
    public mutating func setValue(_ value: String, forKey key: String, section: String?) throws -> Bool {
        let found = entries(forKey: key, section: section).filter { layout == .flat || $0.section == section }
        try requireSingle(found, key: key, section: section)
        if let entry = found.first {
            if entry.value == value, entry.continuationLines.isEmpty { return false }
            var line = lines[entry.lineIndex]
            line.text = Self.valuePrefix(of: line.text, layout: layout) + value
            lines[entry.lineIndex] = line
            for index in entry.continuationLines.reversed() {
                lines.remove(at: index)
            }
        } else {
            insert(key: key, value: value, section: layout == .ini ? section : nil)
        }
        reparse()
        return true
    }
}
