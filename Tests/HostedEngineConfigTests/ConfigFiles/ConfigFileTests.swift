import Foundation
import HostedEngineConfig
import TestSupport
import Testing

@Suite struct ConfigFileTests {
    func file(_ text: String, name: String = "broker.conf") throws -> ConfigFile {
        try ConfigFile(name: name, bytes: Array(text.utf8))
    }

    func text(_ file: ConfigFile) -> String {
        String(decoding: file.bytes, as: UTF8.self)
    }

    @Test func readsUpstreamsBrokerConf() throws {
        let broker = try ConfigFile(name: "broker.conf", bytes: try Fixtures.bytes("upstream/broker.conf"))
        #expect(broker.layout == .ini)
        #expect(try broker.value(forKey: "smtp-server", section: "email") == "localhost")
        #expect(try broker.value(forKey: "state_transition", section: "notify") == "maintenance|start|stop|up|down")
        #expect(try broker.value(forKey: "smtp-server", section: "notify") == nil)
    }

    @Test func editsOneLineAndKeepsEveryOtherByte() throws {
        let original = try Fixtures.text("broker-commented.conf")
        var broker = try file(original)
        #expect(try broker.setValue("smtp.example.org", forKey: "smtp-server", section: "email"))
        let before = original.split(separator: "\n", omittingEmptySubsequences: false)
        let after = text(broker).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(before.count == after.count)
        let changed = zip(before, after).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(changed == [4])
        #expect(after[4] == "smtp-server = smtp.example.org")
    }

    @Test func settingTheSameValueChangesNothing() throws {
        let original = try Fixtures.bytes("broker-commented.conf")
        var broker = try ConfigFile(name: "broker.conf", bytes: original)
        // The line has trailing spaces; the value as read has none.
        #expect(try !broker.setValue("mail.example.com", forKey: "smtp-server", section: "email"))
        #expect(broker.bytes == original)
    }

    @Test func keepsCRLFAndAMissingFinalNewline() throws {
        var broker = try file("[email]\r\nsmtp-port=25\r\nsmtp-server=a\r\n\r\n[notify]\r\nstate_transition=up")
        try broker.setValue("2525", forKey: "smtp-port", section: "email")
        #expect(text(broker) == "[email]\r\nsmtp-port=2525\r\nsmtp-server=a\r\n\r\n[notify]\r\nstate_transition=up")
        try broker.setValue("admin@example.com", forKey: "destination-emails", section: "notify")
        #expect(
            text(broker)
                == "[email]\r\nsmtp-port=2525\r\nsmtp-server=a\r\n\r\n[notify]\r\nstate_transition=up\r\ndestination-emails=admin@example.com\r\n"
        )
    }

    @Test func readsKeysAsConfigparserDoes() throws {
        let broker = try file(
            """
            [email]
            SMTP-Server : mail.example.com
            smtp-port=  2525  
            source-email=a@example.com
              # not part of the value
            destination-emails=a@example.com,
              b@example.com
            """)
        #expect(try broker.value(forKey: "smtp-server", section: "email") == "mail.example.com")
        #expect(try broker.value(forKey: "smtp-port", section: "email") == "2525")
        #expect(try broker.value(forKey: "destination-emails", section: "email") == "a@example.com,\nb@example.com")
    }

    @Test func replacesAValuesContinuationLines() throws {
        var broker = try file("[email]\ndestination-emails=a@example.com,\n  b@example.com\nsource-email=x@example.com\n")
        try broker.setValue("c@example.com", forKey: "destination-emails", section: "email")
        #expect(text(broker) == "[email]\ndestination-emails=c@example.com\nsource-email=x@example.com\n")
    }

    @Test func addsAMissingKeyToItsSectionInTheFilesStyle() throws {
        var broker = try file(try Fixtures.text("broker-commented.conf"))
        try broker.setValue("587", forKey: "smtp-port", section: "email")
        #expect(try broker.value(forKey: "smtp-port", section: "email") == "587")

        var sparse = try file("[email]\nsmtp-server = a\n\n# notify settings\n[notify]\nstate_transition = up\n")
        try sparse.setValue("587", forKey: "smtp-port", section: "email")
        #expect(text(sparse) == "[email]\nsmtp-server = a\nsmtp-port = 587\n\n# notify settings\n[notify]\nstate_transition = up\n")
    }

    @Test func addsAMissingSectionAtTheEnd() throws {
        var broker = try file("[email]\nsmtp-server=a\n")
        try broker.setValue("up|down", forKey: "state_transition", section: "notify")
        #expect(text(broker) == "[email]\nsmtp-server=a\n\n[notify]\nstate_transition=up|down\n")
    }

    @Test func editsAndExtendsFlatFiles() throws {
        var conf = try file("# old broker.conf\nsmtp-server=a\nsmtp-port=25", name: "broker.conf")
        #expect(conf.layout == .flat)
        #expect(try conf.value(forKey: "smtp-server", section: "email") == "a")
        try conf.setValue("b", forKey: "smtp-server", section: "email")
        try conf.setValue("x@example.com", forKey: "source-email", section: "email")
        #expect(text(conf) == "# old broker.conf\nsmtp-server=b\nsmtp-port=25\nsource-email=x@example.com\n")
    }

    @Test func flatFilesSplitOnEqualsOnly() throws {
        let vm = try ConfigFile(name: "vm.conf", bytes: try Fixtures.bytes("upstream/vm_test.conf"))
        #expect(vm.layout == .flat)
        #expect(try vm.value(forKey: "vmName", section: nil) == "HostedEngine")
        let conf = try ConfigFile(name: "hosted-engine.conf", bytes: try Fixtures.bytes("config-volume/hosted-engine.conf"))
        #expect(try conf.value(forKey: "ca_subject", section: nil) == "\"C=EN, L=Test, O=Test, CN=Test\"")
    }

    @Test func refusesAKeySetTwice() throws {
        let broker = try file("[email]\nsmtp-port=25\nsmtp-server=a\nsmtp-port=26\n")
        let error = #expect(throws: HostedEngineError.self) { try broker.value(forKey: "smtp-port", section: "email") }
        #expect(
            error
                == .configFileInvalid(
                    file: "broker.conf", line: 4, problem: .setMoreThanOnce(key: "smtp-port", section: "email", lines: [2, 4])))
        #expect(error?.description == "broker.conf:4: smtp-port is set more than once in [email] (lines 2 and 4); remove all but one")
    }

    @Test func fallsBackToDefaultSection() throws {
        var broker = try file("[DEFAULT]\nsmtp-server=a\n[email]\nsmtp-port=25\n")
        #expect(try broker.value(forKey: "smtp-server", section: "email") == "a")
        try broker.setValue("b", forKey: "smtp-server", section: "email")
        #expect(text(broker) == "[DEFAULT]\nsmtp-server=a\n[email]\nsmtp-port=25\nsmtp-server=b\n")
    }

    @Test func refusesTextThatIsNotUTF8() {
        let error = #expect(throws: HostedEngineError.self) {
            try ConfigFile(name: "broker.conf", bytes: Array("[email]\nsmtp-s".utf8) + [0xFF] + Array("=a\n".utf8))
        }
        #expect(error == .configFileInvalid(file: "broker.conf", line: 2, problem: .notUTF8(offset: 14)))
        #expect(error?.description == "broker.conf:2: is not UTF-8 text (the byte at offset 14 cannot be decoded); save the file as UTF-8")
    }

    /// The broker reads broker.conf with Python's configparser: what we read must be what it
    /// reads, and what we write must read back as the value we set.
    @Test(arguments: [
        "[email]\nsmtp-server = mail.example.com   \nsmtp-port: 25\n",
        "[email]\n  SMTP-SERVER=host.example.com\n[notify]\nstate_transition=up|down\n",
        "# comment\n; another\n[email]\nsmtp-server=a\n   continued\n\n   more\nsmtp-port=25\n",
        "[DEFAULT]\nsmtp-server=default.example.com\n[email]\nsmtp-port=25\n",
    ])
    func agreesWithConfigparser(text: String) throws {
        let directory = try TemporaryDirectory("configparser")
        var broker = try file(text)
        let ours = try broker.value(forKey: "smtp-server", section: "email")
        let before = try directory.write("before.conf", text)
        #expect(try configparserValue(before) == ours)

        try broker.setValue("relay.example.com", forKey: "smtp-server", section: "email")
        let after = try directory.write("after.conf", broker.bytes)
        #expect(try configparserValue(after) == "relay.example.com")
    }

    func configparserValue(_ path: String) throws -> String? {
        let result = try Command.run(
            "python3",
            [
                "-c",
                """
                import configparser, sys
                c = configparser.ConfigParser()
                c.read(sys.argv[1])
                print(c.get('email', 'smtp-server', fallback='<none>'), end='')
                """, path,
            ]
        ).requireSuccess("configparser")
        return result.stdout == "<none>" ? nil : result.stdout
    }
}
