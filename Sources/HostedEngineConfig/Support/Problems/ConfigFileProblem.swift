/// Why a configuration file cannot be read, or would be misread after a change, by the service
/// that reads it. Values are quoted (or hidden, when secret) and names escaped by `text(in:)`,
/// the one place the sentence is made.
public enum ConfigFileProblem: Equatable, Sendable {
    /// The oVirt service that reads the file.
    public enum Reader: String, Sendable {
        case haAgent = "HA agent"
        case haBroker = "HA broker"
    }

    /// What was not done because of it, said at the end.
    public enum Outcome: String, Sendable {
        case nothingWritten = "nothing was written"
        case nothingRestored = "nothing was restored"
    }

    /// `offset`: of the first byte that is not UTF-8.
    case notUTF8(offset: Int)
    /// `lines`: each line that sets it, from 1.
    case setMoreThanOnce(key: String, section: String?, lines: [Int])
    /// The reader stops on it: the parser's words for what it found and how to put it right;
    /// `readsNone`: the broker then reads none of the file (else: none of its settings).
    case unreadable(by: Reader, problem: String, fix: String, readsNone: Bool)
    /// After the change the reader would take `key` as `read`, not `intended` (nil: not at all).
    case wouldRead(by: Reader, key: String, read: String?, intended: String?, secret: Bool)
    case wouldNoLongerRead(by: Reader, key: String)
    /// A rule across keys the change breaks, in the rule's own words.
    case breaksRule(String)

    /// The sentence, with `file` named where the reader's consequence needs it.
    public func text(in file: String) -> String {
        switch self {
        case let .notUTF8(offset):
            return "is not UTF-8 text (the byte at offset \(offset) cannot be decoded); save the file as UTF-8"
        case let .setMoreThanOnce(key, section, lines):
            let place = section.map { " in [\($0)]" } ?? ""
            let numbers = lines.map(String.init).joined(separator: " and ")
            return "\(key) is set more than once\(place) (lines \(numbers)); remove all but one"
        case let .unreadable(reader, problem, fix, readsNone):
            switch reader {
            case .haAgent: return "\(problem), so the HA agent cannot read it; \(fix)"
            case .haBroker:
                let consequence =
                    readsNone
                    ? "so the HA broker reads none of \(file) and sends no notification"
                    : "so the HA broker cannot read its settings and sends no notification"
                return "\(problem), \(consequence); \(fix)"
            }
        case let .wouldRead(reader, key, read, intended, secret):
            return
                "after this change the \(reader.rawValue) would read \(DisplayText.printable(key)) as \(DisplayText.quoted(read, secret: secret)), not \(DisplayText.quoted(intended, secret: secret))"
        case let .wouldNoLongerRead(reader, key):
            return "after this change the \(reader.rawValue) would no longer read \(DisplayText.printable(key))"
        case let .breaksRule(rule):
            return rule
        }
    }
}
