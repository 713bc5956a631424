/// hosted-engine.conf as the HA agent reads it (`ovirt_hosted_engine_ha/env/config_file.py`):
/// the file in Python's text mode (UTF-8, universal newlines); a line whose stripped text starts
/// with `#` is a comment; any other line with an `=` is `key=value`, split at the first `=`,
/// each side stripped (`str.strip()`); a key set again wins. There are no sections and no
/// continuation lines, and `;` starts no comment.
public struct AgentConfReading: Sendable {
    public struct Entry: Sendable, Equatable {
        public let key: String
        public let value: String
        public let lineIndex: Int
    }

    /// Every `key=value` line, in file order.
    public let entries: [Entry]

    /// Reads `bytes`; a file that is not UTF-8 the agent cannot read at all.
    public init(bytes: [UInt8]) throws(PythonConfigParser.Failure) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .notUTF8(line: PythonText.lineNumber(ofOffset: ConfigFile.firstInvalidUTF8Offset(bytes), in: bytes))
        }
        entries = PythonText.lines(text).enumerated().compactMap { index, line in
            let scalars = line.text.unicodeScalars
            guard PythonText.strip(line.text).unicodeScalars.first != "#", let equals = scalars.firstIndex(of: "=") else { return nil }
            return Entry(
                key: PythonText.strip(String(String.UnicodeScalarView(scalars[..<equals]))),
                value: PythonText.strip(String(String.UnicodeScalarView(scalars[scalars.index(after: equals)...]))), lineIndex: index)
        }
    }

    /// The value the agent takes for `key` (the last line that sets it); nil when none does.
    public func value(_ key: String) -> String? {
        entries.last { PythonText.same($0.key, key) }?.value
    }
}
