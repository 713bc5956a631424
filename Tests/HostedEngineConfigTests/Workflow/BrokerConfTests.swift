import Foundation
import TestSupport
import Testing

@testable import HostedEngineConfig

/// broker.conf as the HA broker reads it (Python's configparser), through get, set, push and
/// upload: the cases that once passed while the broker could not read the file, or read
/// otherwise than the tool said.
@Suite struct BrokerConfTests {
    struct Setup {
        let directory: TemporaryDirectory
        let volume: String
        var locator: VolumeLocator { VolumeLocator(volume: volume) }

        init(_ label: String, broker: String) throws {
            directory = try TemporaryDirectory(label)
            let members = try Fixtures.configMembers().map { $0.name == "broker.conf" ? ($0.name, Array(broker.utf8)) : $0 }
            volume = try UpstreamStorage.makeVolume(
                at: directory.file("volume"), archive: try UpstreamStorage.editorArchive(members, in: directory), size: 1 << 20)
        }

        func broker() throws -> [UInt8] {
            try #require(try ConfigArchive(reading: try Volume(path: volume, forWriting: false)).contents(of: "broker.conf"))
        }

        /// What Python's configparser reads for `section.option` in the volume's broker.conf.
        func python(_ section: String, _ option: String) throws -> String? {
            let path = try directory.write("broker-\(UUID().uuidString).conf", try broker())
            let answer = try Command.run(Fixtures.script("configparser-oracle"), [path]).requireSuccess("oracle").stdout
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [[String: Any]]).first
            let rows = parsed?["options"] as? [[Any]] ?? []
            return rows.first { $0[0] as? String == section && $0[1] as? String == option }?[3] as? String
        }

        func set(_ key: String, _ value: String) throws -> SharedConfig.SetOutcome {
            try SharedConfig().set(key: key, value: value, type: nil, locator: locator, options: directory.options())
        }

        func get(_ key: String) throws -> String {
            try SharedConfig().get(key: key, type: nil, locator: locator).value
        }
    }

    @Test func aSecondEmailSectionIsRefusedByValidateAndPushAndGet() throws {
        let setup = try Setup("broker-duplicate-section", broker: "[email]\nsmtp-server=localhost\n[notify]\nstate_transition=up\n")
        let work = setup.directory.file("work")
        let copy = try WorkingCopy.checkout(from: try Volume(path: setup.volume, forWriting: false), into: work)
        try setup.directory.write(
            "work/broker.conf", "[email]\nsmtp-server=localhost\n[notify]\nstate_transition=up\n[email]\nsmtp-port=25\n")
        let problems = copy.problems(schema: .standard).map(\.description)
        #expect(
            problems.contains { $0.hasPrefix("broker.conf:5: [email] appears a second time, first at line 1 (DuplicateSectionError)") },
            "\(problems)")
        let before = try setup.broker()
        #expect(throws: HostedEngineError.self) {
            try copy.push(schema: .standard, options: setup.directory.options(), rebase: false, dryRun: false)
        }
        #expect(try setup.broker() == before)
    }

    @Test func aLoneCarriageReturnIsALineBreakAsThePythonReaderSplitsIt() throws {
        let setup = try Setup("broker-lone-cr", broker: "[email]\nsmtp-server=localhost\n# note\r  evil.example.com\nsmtp-port=25\n")
        #expect(try setup.python("email", "smtp-server") == "localhost\nevil.example.com")
        #expect(try setup.get("smtp-server") == "localhost\nevil.example.com")
        guard case .written = try setup.set("smtp-server", "mail.example.com") else {
            Issue.record("not written")
            return
        }
        #expect(try setup.python("email", "smtp-server") == "mail.example.com")
        #expect(try setup.get("smtp-server") == "mail.example.com")
    }

    @Test func aSetOnAnEmptyOrCommentOnlyFileAddsTheSection() throws {
        for text in ["", "# only a comment\n"] {
            let setup = try Setup("broker-empty", broker: text)
            guard case .written = try setup.set("smtp-server", "mail.example.com") else {
                Issue.record("not written")
                return
            }
            #expect(try setup.python("email", "smtp-server") == "mail.example.com", "\(text.debugDescription)")
            #expect(
                String(decoding: try setup.broker(), as: UTF8.self) == text + (text.isEmpty ? "" : "\n")
                    + "[email]\nsmtp-server=mail.example.com\n")
        }
    }

    @Test func valuesAreInterpolatedAndALonePercentStopsTheBroker() throws {
        let setup = try Setup(
            "broker-interpolation",
            broker: "[DEFAULT]\nhost=mail.example.com\n[email]\nsmtp-server=%(host)s\nsource-email=ha%%1@example.com\n")
        #expect(try setup.get("smtp-server") == "mail.example.com")
        #expect(try setup.get("source-email") == "ha%1@example.com")

        let broken = try Setup("broker-lone-percent", broker: "[email]\nsmtp-server=localhost\nsmtp-timeout=50%\n")
        let error = #expect(throws: HostedEngineError.self) { try broken.get("smtp-server") }
        #expect(
            error?.description.hasPrefix(
                "broker.conf:3: email.smtp-timeout holds a '%' that is neither '%%' nor '%(name)s' (InterpolationSyntaxError)") == true,
            "\(error?.description ?? "")")
        let before = try broken.broker()
        let refused = #expect(throws: HostedEngineError.self) { try broken.set("smtp-server", "mail.example.com") }
        #expect(refused?.description.contains("nothing was written") == true)
        #expect(try broken.broker() == before)

        // A set that is what repairs it goes ahead.
        let repairable = try Setup("broker-repair", broker: "[email]\nsmtp-server=50%\n[notify]\nstate_transition=up\n")
        #expect(throws: HostedEngineError.self) { try repairable.get("smtp-server") }
        guard case .written = try repairable.set("smtp-server", "mail.example.com") else {
            Issue.record("not written")
            return
        }
        #expect(try repairable.get("smtp-server") == "mail.example.com")
    }

    @Test func aKeyThatFollowsTheChangedOneIsSaidInALine() throws {
        let setup = try Setup("broker-follows", broker: "[email]\nsmtp-server=localhost\nsource-email=ha@%(smtp-server)s\n")
        let directory = setup.directory
        // The notes come back in the outcome, nothing through the volume's notices.
        let notices = Notices()
        let locator = VolumeLocator(volume: setup.volume, volumeSettings: Volume.Settings(report: { notices.add($0) }))
        let outcome = try SharedConfig().set(
            key: "smtp-server", value: "mail.example.com", type: nil, locator: locator, options: directory.options())
        guard case let .written(_, notes) = outcome else { throw CancellationError() }
        #expect(notices.lines.isEmpty)
        // What the broker now reads, then when the change takes effect.
        #expect(
            notes == [
                "broker.conf:3: email.source-email refers to a changed key through %(name)s: the HA broker now reads it as 'ha@mail.example.com' (it read 'ha@localhost').",
                ConfigType.broker.takesEffect!,
            ])
    }

    @Test func aForcedRestoreOfAFileTheBrokerCannotReadSaysSo() throws {
        let setup = try Setup("broker-forced", broker: "[email]\nsmtp-server=localhost\n")
        let members = try Fixtures.configMembers().map {
            $0.name == "broker.conf" ? ($0.name, Array("[email]\nsmtp-server=a\n[email]\n".utf8)) : $0
        }
        let upload = try setup.directory.write("restore.tar", try UpstreamStorage.editorArchive(members, in: setup.directory))
        let notices = Notices()
        let locator = VolumeLocator(volume: setup.volume, volumeSettings: Volume.Settings(report: { notices.add($0) }))
        let outcome = try ArchiveTransfer().upload(upload, base: nil, force: true, locator: locator, options: setup.directory.options())
        guard case .written = outcome else {
            Issue.record("not written")
            return
        }
        // What the restore changes, then the warning.
        #expect(notices.lines.count == 2)
        #expect(notices.lines.first?.hasPrefix("Restoring \(upload) changes:\n") == true, "\(notices.lines)")
        #expect(
            notices.lines.last?.hasPrefix("WARNING: restored as given, but broker.conf:3: [email] appears a second time") == true,
            "\(notices.lines)")
    }
}
