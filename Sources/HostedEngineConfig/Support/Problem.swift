/// One thing wrong with a configuration file, reported as `FILE:LINE: message`.
public struct Problem: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    /// 1-based; 0 when the problem is the file as a whole.
    public let line: Int
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// One line, escaped: names and values in a message come from files vdsm can write, and this
    /// is printed as it is (--validate-config's lines on stdout).
    public var description: String { DisplayText.printable("\(file):\(line): \(message)") }

    public var json: JSONText {
        .object([("file", .string(file)), ("line", .number(Int64(line))), ("message", .string(message))])
    }
}
