import Testing

@testable import HostedEngineConfig

/// The one rule for a set that meets its file moved on since it was read, wherever the key
/// lives (an archive member, this host's file): made again when only other keys changed, a
/// conflict when the key itself did, nothing when the file already holds the value.
@Suite struct SetAgainTests {
    static let broker = "[email]\nsmtp-server=localhost\nsmtp-port=25\n\n[notify]\nstate_transition=maintenance|start|stop\n"
    static let ha = "local_maintenance=False\nlocal_maintenance_manual=False\n"

    static func again(_ key: String, _ type: String, to value: String, read: String, now: String) throws -> String? {
        let config = SharedConfig()
        let resolution = try config.resolve(key: key, type: type)
        return try config.rules.setAgain(
            resolution, to: value, in: resolution.type.fileName, read: Array(read.utf8), now: Array(now.utf8), force: false
        ).map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    @Test(arguments: [
        ("smtp-server", "broker", "mail.example.com", broker, "smtp-port=25", "smtp-port=2525", "smtp-server=localhost"),
        (
            "local_maintenance", "ha", "True", ha, "local_maintenance_manual=False", "local_maintenance_manual=True",
            "local_maintenance=False"
        ),
    ])
    func otherKeysMovedTheChangeIsMadeAgainAndTheKeyMovedIsAConflict(
        key: String, type: String, value: String, file: String, otherLine: String, otherMoved: String, keyLine: String
    ) throws {
        let otherChanged = file.replacingOccurrences(of: otherLine, with: otherMoved)
        let made = try #require(try Self.again(key, type, to: value, read: file, now: otherChanged))
        #expect(made.contains(otherMoved) && made.contains("\(key)=\(value)"), "\(made)")

        let keyChanged = file.replacingOccurrences(of: keyLine, with: "\(key)=someone-else")
        #expect(throws: HostedEngineError.self) { try Self.again(key, type, to: value, read: file, now: keyChanged) }

        let alreadyThere = file.replacingOccurrences(of: keyLine, with: "\(key)=\(value)")
        #expect(try Self.again(key, type, to: value, read: file, now: alreadyThere) == nil)
    }

    /// What the broker reads is what counts: a change in how the line is written that reads the
    /// same is not a conflict.
    @Test func aKeyWrittenDifferentlyThatReadsTheSameIsNoConflict() throws {
        let respaced = Self.broker.replacingOccurrences(of: "smtp-server=localhost", with: "smtp-server = localhost")
        let made = try #require(try Self.again("smtp-server", "broker", to: "mail.example.com", read: Self.broker, now: respaced))
        #expect(made.contains("mail.example.com"))
    }
}
