import Foundation
import FuzzTargets
import TestSupport
import Testing

@testable import HostedEngineConfig

/// The tool's reader of broker.conf against Python's configparser itself, on thousands of
/// generated files (sections, duplicates, continuations, the three line endings and lone CRs,
/// comments, blank lines, Unicode spaces and letters, `%` forms, DEFAULT, BOMs, bytes that are
/// not UTF-8): every disagreement fails. Then each file that can be edited gets a set of
/// `smtp-server`, checked by the tool as before a write, and Python reads the result.
@Suite struct ConfigParserDifferentialTests {
    static let caseCount = 3000

    @Test func theReaderAgreesWithConfigparser() throws {
        let seed = ProcessInfo.processInfo.environment["HE_DIFFERENTIAL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        var generator = BrokerConfGenerator(seed: seed)
        let directory = try TemporaryDirectory("configparser-differential")
        let files = (0..<Self.caseCount).map { _ in generator.file() }
        let python = try Self.oracle(files, in: directory, name: "read")
        var disagreements: [String] = []
        var edits: [(index: Int, bytes: [UInt8], notes: [String])] = []
        for (index, bytes) in files.enumerated() {
            if let difference = Self.difference(bytes, python[index]) {
                disagreements.append("case \(index) \(Self.shown(bytes)): \(difference)")
                continue
            }
            // An edit as --set-shared-config makes it; kept when the tool would write it.
            guard var file = try? ConfigFile(name: "broker.conf", bytes: bytes, layout: .ini),
                (try? file.setValue("relay.example.com", forKey: "smtp-server", section: "email")) == true,
                let notes = try? BrokerReading.verify(
                    old: bytes, new: file.bytes, changed: [(ConfigType.broker.keys[2], "relay.example.com")],
                    keys: ConfigType.broker.keys, file: "broker.conf")
            else { continue }
            edits.append((index, file.bytes, notes))
        }
        let edited = try Self.oracle(edits.map(\.bytes), in: directory, name: "edit")
        for (position, edit) in edits.enumerated() {
            if let difference = Self.difference(edit.bytes, edited[position]) {
                disagreements.append("case \(edit.index) edited \(Self.shown(edit.bytes)): \(difference)")
            } else if let options = edited[position]["options"] as? [[Any]],
                !options.contains(where: {
                    $0[0] as? String == "email" && $0[1] as? String == "smtp-server" && $0[3] as? String == "relay.example.com"
                })
            {
                disagreements.append("case \(edit.index) edited \(Self.shown(edit.bytes)): Python does not read the new smtp-server")
            } else if let before = python[edit.index]["options"] as? [[Any]], let after = edited[position]["options"] as? [[Any]] {
                // Sections that were there before read as they did (a new [email] brings DEFAULT's keys).
                let sections = Set(before.map { "\($0[0])" })
                // ... but for those the check said follow smtp-server through %(name)s.
                let followers = { (row: [Any]) in
                    edit.notes.contains { $0.contains(": \(Self.shown("\(row[0])")).\(Self.shown("\(row[1])")) refers") }
                }
                let other = { (options: [[Any]]) in
                    options.filter {
                        sections.contains("\($0[0])") && !($0[1] as? String == "smtp-server" && $0[0] as? String == "email")
                            && !followers($0)
                    }.map { "\($0[0])|\($0[1])|\($0[3])" }
                }
                // A key the broker could not read before (the set may be what repairs it) is not compared.
                let readable = Set(other(before.filter { $0[3] is String }))
                if !readable.isSubset(of: Set(other(after))) {
                    disagreements.append("case \(edit.index) edited \(Self.shown(edit.bytes)): another key reads otherwise after the set")
                }
            }
        }
        print(
            "\nconfigparser differential (seed \(seed)): \(files.count) files read, \(edits.count) edits checked, \(disagreements.count) disagreements"
        )
        #expect(
            disagreements.isEmpty,
            "seed \(seed); rerun with HE_DIFFERENTIAL_SEED=\(seed):\n\(disagreements.prefix(10).joined(separator: "\n"))")
    }

    /// hosted-engine.conf as the HA agent reads it, against the agent's own loop in Python.
    @Test func theAgentReaderAgreesWithTheAgent() throws {
        let seed = ProcessInfo.processInfo.environment["HE_DIFFERENTIAL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        var generator = BrokerConfGenerator(seed: seed)
        let directory = try TemporaryDirectory("agent-differential")
        let files = (0..<1000).map { _ in generator.file() }
        let paths = try files.enumerated().map { index, bytes in try directory.write("agent-\(index).conf", bytes) }
        let result = try Command.run(Fixtures.script("configparser-oracle"), ["--agent"] + paths).requireSuccess("oracle")
        let python = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        var disagreements: [String] = []
        for (index, bytes) in files.enumerated() {
            let mine: [[String]]?
            if let reading = try? AgentConfReading(bytes: bytes) {
                // Python's dict: a key keeps the place it first had, and the last value.
                var order: [String] = []
                for entry in reading.entries where !order.contains(where: { PythonText.same($0, entry.key) }) { order.append(entry.key) }
                mine = order.map { [$0, reading.value($0) ?? ""] }
            } else {
                mine = nil
            }
            let theirs = (python[index]["keys"] as? [[String]])
            let same =
                mine == nil && theirs == nil
                || (mine?.count == theirs?.count
                    && zip(mine ?? [], theirs ?? []).allSatisfy { zip($0, $1).allSatisfy { PythonText.same($0, $1) } })
            if !same { disagreements.append("case \(index) \(Self.shown(bytes)): ours \(mine ?? []), the agent's \(theirs ?? [])") }
        }
        print("\nagent reader differential (seed \(seed)): \(files.count) files read, \(disagreements.count) disagreements")
        #expect(disagreements.isEmpty, "seed \(seed):\n\(disagreements.prefix(10).joined(separator: "\n"))")
    }

    /// Python decodes a file 8192 bytes at a time, so an error in the lines before the piece
    /// that holds bytes that are not UTF-8 is raised first; a CR at a piece's end waits for the
    /// next piece (it may be a CRLF).
    @Test func anErrorBeforeBytesThatAreNotUTF8IsRaisedFirst() throws {
        let directory = try TemporaryDirectory("configparser-chunks")
        let head = Array("[email]\nsmtp-server=a\nsmtp-server=b\n".utf8)
        var files: [[UInt8]] = []
        for invalidAt in [100, 8191, 8192, 8200, 20000] {
            let bads: [[UInt8]] = [[0xFF], [0xE2, 0x28], [0xF1, 0x80, 0x80, 0x41], [0xE2]]
            for bad in bads {
                var file = head
                file += [UInt8](repeating: UInt8(ascii: "#"), count: invalidAt - head.count - 1)
                file += [10]
                file += bad
                file += Array("\nx=1\n".utf8)
                files.append(file)
            }
        }
        // `a=2` and its ending fill the first piece: ended by a CR (which waits for the next
        // piece, where the bad byte is), or by a LF (the duplicate is raised first).
        for ending in ["\r", "\n"] {
            var edge = Array("[email]\n".utf8)
            edge += [UInt8](repeating: UInt8(ascii: "#"), count: 8192 - 8 - 9)
            edge += Array("\na=1\na=2\(ending)".utf8)
            files.append(edge + [0xFF])
        }
        let python = try Self.oracle(files, in: directory, name: "chunk")
        for (index, bytes) in files.enumerated() {
            #expect(Self.difference(bytes, python[index]) == nil, "file \(index): \(Self.difference(bytes, python[index]) ?? "")")
        }
        #expect(python.suffix(2).map { $0["error"] as? String } == ["UnicodeDecodeError", "DuplicateOptionError"])
    }

    /// What the oracle script says of each file, read by path.
    static func oracle(_ files: [[UInt8]], in directory: TemporaryDirectory, name: String) throws -> [[String: Any]] {
        let paths = try files.enumerated().map { index, bytes in try directory.write("\(name)-\(index).conf", bytes) }
        guard !paths.isEmpty else { return [] }
        let result = try Command.run(Fixtures.script("configparser-oracle"), paths).requireSuccess("configparser-oracle")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        return try #require(parsed)
    }

    static func difference(_ bytes: [UInt8], _ python: [String: Any]) -> String? {
        ConfigparserComparison.difference(bytes, python)
    }

    static func shown(_ text: String) -> String { DisplayText.printable(text) }
    static func shown(_ bytes: [UInt8]) -> String { "'" + DisplayText.printable(String(decoding: bytes, as: UTF8.self)) + "'" }
}

/// Random broker.conf texts made of the pieces that configparser treats specially.
struct BrokerConfGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64: the same seed makes the same files.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }

    static let indents = ["", "", "", " ", "  ", "\t", "\u{A0}", "\u{2003}", "\u{0C}", " \u{3000}"]
    static let sections = [
        "[email]", "[notify]", "[DEFAULT]", "[ email ]", "[email] trailing", "[]", "[a]b]", "[Email]", "[default]", "[é]", "[e\u{301}]",
        "[ΑΣ]", "[email",
    ]
    static let keys = [
        "smtp-server", "SMTP-Server", "smtp-port", "source-email", "destination-emails", "state_transition", "smtp-timeout", "a", "A",
        "ΑΣ", "ας", "é", "e\u{301}", "İ", "", "key with spaces", "x\u{A0}",
    ]
    static let delimiters = ["=", ":", " = ", " : ", "==", "=:", "\t=\t", "\u{A0}=\u{A0}"]
    static let values = [
        "", "localhost", "relay.example.com", "25", "up|down", "a%%b", "%(a)s", "%(smtp-server)s", "%(SMTP-PORT)s", "%", "%(missing)s",
        "%()s", "%(a)", "50%", " padded ", "\u{A0}nb\u{A0}", "a:b=c", "#not a comment", ";x", "%(a)s%(a)s", "%%(a)s", "Σ",
    ]
    static let others = ["# comment", "; comment", "#", ";", "garbage", "=novalue", ":x", "", "   ", "\u{3000}", "[notify]"]
    static let terminators = ["\n", "\n", "\n", "\r\n", "\r"]

    mutating func line() -> String {
        let indent = chance(25) ? pick(Self.indents) : ""
        switch next() % 10 {
        case 0, 1: return indent + pick(Self.sections)
        case 2, 3, 4, 5: return indent + pick(Self.keys) + pick(Self.delimiters) + pick(Self.values)
        case 6: return pick(Self.indents.filter { !$0.isEmpty }) + pick(Self.values + Self.keys)
        default: return indent + pick(Self.others)
        }
    }

    mutating func file() -> [UInt8] {
        var text = chance(3) ? "\u{FEFF}" : ""
        if chance(70) { text += pick(["[email]", "[notify]", "[DEFAULT]"]) + pick(Self.terminators) }
        let count = Int(next() % 12)
        for index in 0..<count {
            text += line()
            if index < count - 1 || chance(80) { text += pick(Self.terminators) }
        }
        var bytes = Array(text.utf8)
        if chance(2), !bytes.isEmpty { bytes.insert(0xFF, at: Int(next() % UInt64(bytes.count))) }
        return bytes
    }
}
