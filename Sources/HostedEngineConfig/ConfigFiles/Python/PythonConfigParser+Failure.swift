extension PythonConfigParser {
    /// What configparser raises reading a file, or a value: its exception, the line, and words
    /// for the administrator saying what the broker does about it.
    public enum Failure: Error, Sendable, Equatable {
        case notUTF8(line: Int)
        case missingSectionHeader(line: Int)
        case duplicateSection(name: String, line: Int, firstLine: Int)
        case duplicateOption(section: String, option: String, line: Int, firstLine: Int)
        case parsing(lines: [Int])
        case interpolationSyntax(section: String, option: String, line: Int, detail: String)
        case interpolationMissingOption(section: String, option: String, line: Int, reference: String)
        case interpolationDepth(section: String, option: String, line: Int)

        init(_ error: IniScan.Error) {
            switch error {
            case let .missingSectionHeader(index): self = .missingSectionHeader(line: index + 1)
            case let .duplicateSection(name, index, first): self = .duplicateSection(name: name, line: index + 1, firstLine: first + 1)
            case let .duplicateOption(section, name, index, first):
                self = .duplicateOption(section: section, option: name, line: index + 1, firstLine: first + 1)
            case let .parsing(indices): self = .parsing(lines: indices.map { $0 + 1 })
            }
        }

        /// The exception's class, as Python names it.
        public var pythonName: String {
            switch self {
            case .notUTF8: return "UnicodeDecodeError"
            case .missingSectionHeader: return "MissingSectionHeaderError"
            case .duplicateSection: return "DuplicateSectionError"
            case .duplicateOption: return "DuplicateOptionError"
            case .parsing: return "ParsingError"
            case .interpolationSyntax: return "InterpolationSyntaxError"
            case .interpolationMissingOption: return "InterpolationMissingOptionError"
            case .interpolationDepth: return "InterpolationDepthError"
            }
        }

        /// The 1-based line it names first.
        public var line: Int {
            switch self {
            case let .notUTF8(line), let .missingSectionHeader(line), let .duplicateSection(_, line, _),
                let .duplicateOption(_, _, line, _), let .interpolationSyntax(_, _, line, _),
                let .interpolationMissingOption(_, _, line, _), let .interpolationDepth(_, _, line):
                return line
            case let .parsing(lines): return lines.first ?? 0
            }
        }

        /// What is wrong, with the exception's name.
        public var problem: String {
            switch self {
            case .notUTF8:
                return "the file is not UTF-8 text (\(pythonName))"
            case .missingSectionHeader:
                return "this line comes before any [section] header (\(pythonName))"
            case let .duplicateSection(name, _, first):
                return "[\(DisplayText.printable(name))] appears a second time, first at line \(first) (\(pythonName))"
            case let .duplicateOption(section, option, _, first):
                return
                    "\(DisplayText.printable(option)) is set a second time in [\(DisplayText.printable(section))], first at line \(first) (\(pythonName))"
            case let .parsing(lines):
                let others = lines.dropFirst().map(String.init).joined(separator: ", ")
                return
                    "this line\(others.isEmpty ? "" : " (and line \(others))") is not a key = value line, a [section] header or a comment (\(pythonName))"
            case let .interpolationSyntax(section, option, _, detail):
                return "\(DisplayText.printable(section)).\(DisplayText.printable(option)) holds \(detail) (\(pythonName))"
            case let .interpolationMissingOption(section, option, _, reference):
                return
                    "\(DisplayText.printable(section)).\(DisplayText.printable(option)) refers to %(\(DisplayText.printable(reference)))s, which [\(DisplayText.printable(section))] does not set (\(pythonName))"
            case let .interpolationDepth(section, option, _):
                return
                    "\(DisplayText.printable(section)).\(DisplayText.printable(option)) refers through %(name)s more than \(PythonConfigParser.maximumDepth) deep (\(pythonName))"
            }
        }

        /// Whether configparser refuses the whole file, rather than one value of it.
        public var refusesTheFile: Bool {
            switch self {
            case .interpolationSyntax, .interpolationMissingOption, .interpolationDepth: return false
            default: return true
            }
        }

        /// What it is, what the HA broker does about it, and how to put it right.
        func problem(for reader: ConfigFileProblem.Reader) -> ConfigFileProblem {
            .unreadable(by: reader, problem: problem, fix: fix, readsNone: refusesTheFile)
        }

        /// How to put it right.
        public var fix: String {
            switch self {
            case .notUTF8: return "save the file as UTF-8"
            case .missingSectionHeader: return "add the [email] or [notify] header above it"
            case .duplicateSection: return "merge the two into one"
            case .duplicateOption: return "remove all but one"
            case .parsing: return "fix or remove it"
            case .interpolationSyntax: return "write a percent sign as %%"
            case .interpolationMissingOption: return "set it, or write a percent sign as %%"
            case .interpolationDepth: return "break the loop"
            }
        }
    }
}
