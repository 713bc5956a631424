import HostedEngineConfig
import Testing

@Suite struct ValueRuleTests {
    @Test(arguments: [
        (ValueRule.hostOrAddress, ["localhost", "smtp.example.com", "mail-1.example.co.uk", "192.0.2.25", "2001:db8::25", "::1"]),
        (.port, ["1", "25", "587", "65535"]),
        (.emailAddress, ["root@localhost", "ovirt+alerts@example.com", "first.last@mail.example.com"]),
        (.emailList, ["root@localhost", "a@example.com,b@example.com", "a@example.com , b@example.com"]),
        (.stateList, ["maintenance|start|stop|migrate|up|down", "up", "EngineUp|EngineDown", "local_maintenance|re-init"]),
    ])
    func accepts(rule: ValueRule, values: [String]) throws {
        for value in values {
            #expect(throws: Never.self, "\(value)") { try rule.validate(value, key: "k") }
        }
    }

    @Test(arguments: [
        (ValueRule.hostOrAddress, ["-bad.example.com", "bad_.example.com", "has space", "999.1.1.1", "1.2.3", "a..b", "http://x"]),
        (.port, ["0", "65536", "-1", "25a", "+25", " 25", "000000025"]),
        (
            .emailAddress,
            ["root", "@example.com", "a@", "a@b@c", "a b@example.com", "100%@example.com", "a@example.com,b@example.com", ".a@example.com"]
        ),
        (.emailList, ["a@example.com,", ",a@example.com", "a@example.com;b@example.com", "a@example.com,,b@example.com"]),
        (.stateList, ["up||down", "|up", "up|", "up|.*", "1up", "up down"]),
    ])
    func refuses(rule: ValueRule, values: [String]) throws {
        for value in values {
            #expect(throws: HostedEngineError.invalidValue(key: "k", value: value, rule: rule.expectation), "\(value)") {
                try rule.validate(value, key: "k")
            }
        }
    }

    @Test(arguments: ["a\nsmtp-port=1", "a\r", "a\u{0}b", "a\u{1B}[31m", "a\u{2028}b", "a\u{85}b"])
    func refusesAnythingThatCouldBreakALine(value: String) throws {
        let error = #expect(throws: HostedEngineError.self) { try ValueRule.text.validate(value, key: "smtp-server") }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("Invalid value '"))
        #expect(!message.contains("\n"), "the message stays on one line")
        #expect(message.contains("give the value on one line"))
    }

    @Test func refusesAnEmptyValue() {
        #expect(
            throws: HostedEngineError.invalidValue(
                key: "smtp-port", value: "", rule: "a value cannot be empty; expected a port number from 1 to 65535")
        ) { try ValueRule.port.validate("", key: "smtp-port") }
    }

    @Test func namesKeyValueAndRule() {
        let error = HostedEngineError.invalidValue(key: "smtp-port", value: "99999", rule: ValueRule.port.expectation)
        #expect(error.description == "Invalid value '99999' for smtp-port: expected a port number from 1 to 65535.")
        #expect(error.exitCode == 1)
    }
}
