import Foundation
import HostedEngineConfig
import TestSupport
import Testing

@Suite struct EditSessionTests {
    func setup(_ label: String) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory(label)
        let tar = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        return (directory, try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: tar, size: 1 << 20))
    }

    /// An editor that applies each step in turn to the file's text.
    final class ScriptedEditor: @unchecked Sendable {
        var steps: [(String) -> String]
        var seen: [String] = []
        init(_ steps: [(String) -> String]) { self.steps = steps }

        func edit(_ path: String) throws -> Int32 {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            seen.append(text)
            guard !steps.isEmpty else { return 1 }
            try steps.removeFirst()(text).write(toFile: path, atomically: false, encoding: .utf8)
            return 0
        }
    }

    @Test func reopensWithTheProblemsThenPushes() throws {
        let (directory, volume) = try setup("edit-problems")
        let editor = ScriptedEditor([
            { $0.replacingOccurrences(of: "smtp-port=25", with: "smtp-port=99999") },
            { $0.replacingOccurrences(of: "smtp-port=99999", with: "smtp-port=587") },
        ])
        let session = EditSession(options: directory.options(), temporaryRoot: directory.path, editor: editor.edit)
        guard case .pushed = try session.run(type: nil, locator: VolumeLocator(volume: volume)) else {
            Issue.record("expected a push")
            return
        }
        #expect(editor.seen.count == 2)
        #expect(
            editor.seen[1].hasPrefix(
                "# hosted-engine: broker.conf:3: Invalid value '99999' for email.smtp-port: expected a port number from 1 to 65535.\n"))
        #expect(try SharedConfig().get(key: "smtp-port", type: "broker", locator: VolumeLocator(volume: volume)).value == "587")
        let broker = try ConfigArchive(bytes: try Files.readPrefix(volume, count: 20480), origin: "v").contents(of: "broker.conf") ?? []
        #expect(!String(decoding: broker, as: UTF8.self).contains("hosted-engine:"))
        // The private folder is gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("hosted-engine-edit-") }.isEmpty)
    }

    @Test func unchangedCancelsEmptiedAbortsAndKeepsTheCopy() throws {
        let (directory, volume) = try setup("edit-cancel")
        let before = try Files.read(volume)
        let unchanged = EditSession(options: directory.options(), temporaryRoot: directory.path, editor: ScriptedEditor([{ $0 }]).edit)
        #expect(try unchanged.run(type: "broker", locator: VolumeLocator(volume: volume)) == .unchanged)

        let emptied = EditSession(options: directory.options(), temporaryRoot: directory.path, editor: ScriptedEditor([{ _ in "\n" }]).edit)
        let error = #expect(throws: HostedEngineError.self) { try emptied.run(type: nil, locator: VolumeLocator(volume: volume)) }
        guard case let .keptCopy(inner, copy, _)? = error else {
            Issue.record("expected a kept copy, got \(String(describing: error))")
            return
        }
        #expect(inner == .editAborted(.savedEmpty))
        #expect(inner.description == "Edit cancelled: the file was saved empty; nothing was written.")
        #expect(FileManager.default.fileExists(atPath: copy))
        #expect(try Files.read(volume) == before)

        let stubborn = EditSession(
            options: directory.options(), temporaryRoot: directory.path,
            editor: ScriptedEditor([{ $0.replacingOccurrences(of: "smtp-port=25", with: "smtp-port=0") }, { $0 }]).edit)
        let again = #expect(throws: HostedEngineError.self) { try stubborn.run(type: nil, locator: VolumeLocator(volume: volume)) }
        #expect(
            again?.description.hasPrefix(
                "Edit cancelled: the file was saved again without fixing the problems shown at its top; nothing was written.") == true)
        #expect(try Files.read(volume) == before)
    }
}
