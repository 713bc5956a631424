/// An INI file as Python 3's `ConfigParser()` reads it by path, with its defaults: the file
/// decoded as UTF-8 (what the broker's locale gives), lines split with universal newlines,
/// classified by `IniScan`, refused whole on the first error configparser raises, and values
/// interpolated on reading (`BasicInterpolation`: `%(name)s` and `%%`). The broker reads
/// broker.conf this way (`ovirt_hosted_engine_ha/broker/notifications.py`).
public struct PythonConfigParser: Sendable {
    /// One option as read: its value before interpolation, and its 0-based line.
    public struct Option: Sendable, Equatable {
        public let name: String
        public let value: String
        public let lineIndex: Int
    }

    /// Section names in file order, without `DEFAULT`.
    public let sectionNames: [String]
    /// `[DEFAULT]`'s options, in file order.
    public let defaults: [Option]
    let sections: [[Unicode.Scalar]: [Option]]

    /// Reads `bytes`; throws what configparser would raise.
    public init(bytes: [UInt8]) throws(Failure) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            // Python decodes as it reads, 8192 bytes at a time: the lines it has before it
            // reaches the bad bytes are parsed first, and an error in them is what it raises.
            let start = ConfigFile.firstInvalidUTF8Offset(bytes)
            let available = PythonText.decodedBeforeFailure(bytes, invalidAt: start)
            let complete = PythonText.lines(String(decoding: bytes[..<available], as: UTF8.self)).filter { !$0.terminator.isEmpty }
            // A CR that ends what was decoded may be the start of a CRLF: that line waits.
            let lines = available > 0 && bytes[available - 1] == 13 ? complete.dropLast() : complete[...]
            if let error = IniScan(lines: lines.map(\.text)).raised, error.isRaisedAtOnce { throw Failure(error) }
            throw .notUTF8(line: PythonText.lineNumber(ofOffset: start, in: bytes))
        }
        try self.init(scan: IniScan(lines: PythonText.lines(text).map(\.text)))
    }

    init(scan: IniScan) throws(Failure) {
        if let error = scan.raised { throw Failure(error) }
        var names: [String] = []
        var sections: [[Unicode.Scalar]: [Option]] = [:]
        var defaults: [Option] = []
        for header in scan.headers where !PythonText.same(header.name, "DEFAULT") && sections[PythonText.key(header.name)] == nil {
            names.append(header.name)
            sections[PythonText.key(header.name)] = []
        }
        for option in scan.options {
            let read = Option(name: option.name, value: option.value, lineIndex: option.lineIndex)
            if let section = option.section, PythonText.same(section, "DEFAULT") {
                defaults.append(read)
            } else if let section = option.section {
                sections[PythonText.key(section), default: []].append(read)
            }
        }
        self.sectionNames = names
        self.sections = sections
        self.defaults = defaults
    }

    /// What `section` holds with `[DEFAULT]` under it, in configparser's order (the defaults'
    /// options first, then the section's others); nil when there is no such section.
    public func options(in section: String) -> [Option]? {
        guard let own = sections[PythonText.key(section)] else { return PythonText.same(section, "DEFAULT") ? defaults : nil }
        var merged = defaults
        for option in own {
            if let index = merged.firstIndex(where: { PythonText.same($0.name, option.name) }) {
                merged[index] = option
            } else {
                merged.append(option)
            }
        }
        return merged
    }

    /// `get(section, option)`: the option's value after interpolation; nil when the section or
    /// the option is not there (NoSectionError, NoOptionError).
    public func get(_ section: String, _ option: String) -> Result<String, Failure>? {
        guard let options = options(in: section), let found = options.first(where: { PythonText.same($0.name, PythonText.lower(option)) })
        else {
            return nil
        }
        return interpolate(found, section: section, among: options)
    }

    /// `items(section)`: every option's value after interpolation, in order; nil when there is
    /// no such section.
    public func items(_ section: String) -> [(option: Option, value: Result<String, Failure>)]? {
        guard let options = options(in: section) else { return nil }
        return options.map { ($0, interpolate($0, section: section, among: options)) }
    }
}
