import Foundation
import HostedEngineConfig

/// The tool's reader of broker.conf (`PythonConfigParser`) against what Python's configparser
/// said of the same bytes (`scripts/configparser-oracle`'s answer, as JSON).
public enum ConfigparserComparison {
    /// How the tool's reader differs from Python's answer, or nil when they agree.
    public static func difference(_ bytes: [UInt8], _ python: [String: Any]) -> String? {
        let ours: PythonConfigParser
        do {
            ours = try PythonConfigParser(bytes: bytes)
        } catch {
            let lines: [Int]
            if case let .parsing(all) = error { lines = all } else { lines = [error.line] }
            guard let theirs = python["error"] as? String else { return "we raise \(error.pythonName) at \(lines), Python reads it" }
            // Python's UnicodeDecodeError names a byte, not a line.
            let theirLines = python["lines"] as? [Int] ?? []
            return theirs == error.pythonName && (theirLines == lines || error == .notUTF8(line: error.line))
                ? nil : "we raise \(error.pythonName) at \(lines), Python \(theirs) at \(theirLines)"
        }
        if let theirs = python["error"] as? String { return "we read it, Python raises \(theirs) at \(python["lines"] ?? "")" }
        guard let sections = python["sections"] as? [String], let options = python["options"] as? [[Any]] else { return "no answer" }
        if sections.count != ours.sectionNames.count || !zip(sections, ours.sectionNames).allSatisfy({ PythonText.same($0, $1) }) {
            return "sections \(ours.sectionNames.map(shown)), Python \(sections.map(shown))"
        }
        let exact =
            rows(ours).count == options.count
            && zip(rows(ours), options).allSatisfy { mine, theirs in
                mine.count == theirs.count && zip(mine, theirs).allSatisfy { PythonText.same($0, text($1)) }
            }
        return exact ? nil : "options \(rows(ours).map { $0.map(shown) }), Python \(options.map { $0.map { shown(text($0)) } })"
    }

    /// `[section, option, raw value, value or "error CLASS"]`, as the oracle lists them.
    static func rows(_ parser: PythonConfigParser) -> [[String]] {
        (["DEFAULT"] + parser.sectionNames).flatMap { section in
            (parser.options(in: section) ?? []).map { option in
                let value: String
                switch parser.get(section, option.name) {
                case let .success(text)?: value = text
                case let .failure(failure)?: value = "error " + failure.pythonName
                case nil: value = "missing"
                }
                return [section, option.name, option.value, value]
            }
        }
    }

    static func text(_ item: Any) -> String {
        if let text = item as? String { return text }
        return "error " + ((item as? [String: Any])?["error"] as? String ?? "?")
    }

    static func shown(_ text: String) -> String { DisplayText.printable(text) }
}
