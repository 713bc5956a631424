import Foundation
import TestSupport
import Testing

@testable import HostedEngineConfig

/// `notify.state_transition` as the broker uses it, `re.search(rule.lower(), ...)`: the tool's
/// check against Python's `re` itself, on a table of patterns and on thousands of generated
/// ones. Python 3.11 is what this machine has; what only 3.11 reads (atomic groups, possessive
/// quantifiers) is refused, as EL9's Python 3.9 refuses it.
@Suite struct PythonRegexTests {
    /// Patterns administrators write, and the mistakes around them.
    static let table = [
        ".*", "maintenance|start|stop|migrate|up|down", "EngineUp-.*", "(start|stop)", "^engineup", "(?i)up$", "a{2,3}", "a{,3}",
        "a{3,2}", "*", "a**", "(", ")", "[a-", "[z-a]", "\\", "\\Z", "\\d+-\\w*", "(?P<name>x)", "(?<=ab)c", "(?<=a|bc)d", "(?<!x*)y",
        "a(?i)b", "(?x) a b # c", "(?#comment)up", "(?#unterminated", "(a)\\1", "\\1(a)", "(a)(?(1)b|c)", "(?(2)a)", "[\\d-z]", "[\\w]",
        "\\x4", "\\x41", "\\u004", "\\400", "[\\400]", "\\08", "(?a)(?u)x", "(?au:x)", "(?t)a*", "(?t)ab", "(?t)(?<=a*)", "(?t)a*(?<=b*)",
        "(?t)-(?<=\\\\(?x)bc{\n", "(?-i:x)", "(?i-i:x)",
        // A repeat is met where the item it repeats starts: before the look-behind it wraps.
        "(?t)(?i)(?<=a|bc)?\\:", "(?t)(?<=a|bc)*", "(?t)(?:(?<=a|bc))+", "(?t)(?<=a|bc)(?:x)?", "(?t)(a*)?(?<=a|bc)",
        "(?>x)", "a*+", "a{1,2}?", "x{}", "x{a}", "x{4294967295}", "x{4294967294}", "(?<=\\b)x", "^*", "\\b*", "(?=x)*", "(?:)*",
        "[]]", "[^]]", "[]", "a|*", "|", "(|)", "\\k", "(?q)", "(?<q)", "(?p<n>x)", "%(x)s", "x{2}{3}", "x?{2}",
        // Names Python's messages give through repr(): escapes, and the other quote.
        "(?(?<={3,2}(?:\n(?<=a|bc)(?s-i:", "(?p<a\tb>x)", "(?p<a'b>x)", "(?p<a\u{202E}b>x)", "\\n{foo\u{01}}", "(?p<a\"b>x)",
        "(?p<a'\"b>x)", "(?(a\\b)x)",
    ]

    @Test func theTableAgreesWithPython() throws {
        let directory = try TemporaryDirectory("python-regex-table")
        let python = try Self.python(Self.table.map(PythonText.lower), in: directory)
        for (index, pattern) in Self.table.enumerated() {
            let ours = PythonRegex.problem(in: PythonText.lower(pattern))
            if Self.onlyNewPython(PythonText.lower(pattern)) {
                #expect(ours != nil, "\(pattern): Python 3.9 refuses it")
                continue
            }
            #expect(
                (ours == nil) == (python[index] == nil), "\(pattern): ours \(ours ?? "compiles"), Python \(python[index] ?? "compiles")")
            if let ours, let theirs = python[index] { #expect(ours == theirs, "\(pattern)") }
        }
    }

    @Test func generatedPatternsAgreeWithPython() throws {
        let seed = ProcessInfo.processInfo.environment["HE_DIFFERENTIAL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        var random = BrokerConfGenerator(seed: seed)
        let pieces = [
            "a", "b", "|", "(", ")", "(?:", "(?=", "(?!", "(?<=", "(?<!", "(?i)", "(?x)", "(?#c)", "(?P<g>", "(?P=g)", "(?(1)", "*", "+",
            "?", "{", "}", ",", "2", "0", "{1,2}", "[", "]", "^", "-", "\\", "\\1", "\\2", "\\d", "\\b", "\\x4", "\\0", ".", "$", " ", "#",
            "\n", "\\w", "é", "i", "-", ":", "{3,2}", "(?t)", "(?a)", "(?u)", "(?s-i:", "(?-", "bc", "\\400", "\\u00e9", "[\\d-",
            "z-a]", "(?<=a|bc)", "\\z", "(?P<h>", "(?(g)", "(?(0)", "(?( 1)",
        ]
        let patterns = (0..<4000).map { _ in
            (0..<Int.random(in: 1...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        }
        let directory = try TemporaryDirectory("python-regex-generated")
        let python = try Self.python(patterns, in: directory)
        var disagreements: [String] = []
        for (index, pattern) in patterns.enumerated() where !Self.onlyNewPython(pattern) {
            let ours = PythonRegex.problem(in: pattern)
            if ours != python[index] {
                disagreements.append("\(pattern.debugDescription): ours \(ours ?? "compiles"), Python \(python[index] ?? "compiles")")
            }
        }
        #expect(disagreements.isEmpty, "seed \(seed): \(disagreements.count) disagreements, first: \(disagreements.prefix(10))")
    }

    /// A set of state_transition is refused with Python's own error, and `.*` is accepted.
    @Test func theRuleNamesPythonsError() throws {
        try ValueRule.pythonRegex.validate(".*", key: "state_transition")
        #expect(throws: HostedEngineError.self) { try ValueRule.pythonRegex.validate("up(", key: "state_transition") }
        do {
            try ValueRule.pythonRegex.validate("Up\\Z", key: "state_transition")
        } catch {
            #expect("\(error)".contains("bad escape \\z at position 2"))
        }
    }

    static func onlyNewPython(_ pattern: String) -> Bool {
        pattern.contains("(?>") || pattern.contains("*+") || pattern.contains("++") || pattern.contains("?+") || pattern.contains("}+")
    }

    /// Python's error for each pattern (`str(re.error)`, or the other exception's message), or nil.
    static func python(_ patterns: [String], in directory: TemporaryDirectory) throws -> [String?] {
        let input = directory.path + "/patterns.json"
        try JSONSerialization.data(withJSONObject: patterns).write(to: URL(fileURLWithPath: input))
        let script = """
            import json, re, sys, warnings
            warnings.simplefilter("ignore")
            out = []
            for p in json.load(open(sys.argv[1])):
                try:
                    re.compile(p); out.append(None)
                except re.error as e:
                    out.append(str(e))
                except Exception as e:
                    out.append(str(e))
            print(json.dumps(out))
            """
        let result = try Command.run("python3", ["-c", script, input])
        #expect(result.status == 0, "\(result)")
        let decoded = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Any] ?? []
        return decoded.map { $0 as? String }
    }
}
extension BrokerConfGenerator: RandomNumberGenerator {}
