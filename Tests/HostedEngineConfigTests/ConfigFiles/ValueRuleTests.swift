import HostedEngineConfig
import Testing

@Suite struct ValueRuleTests {
    @Test(arguments: [
        (ValueRule.hostOrAddress, ["localhost", "smtp.example.com", "mail-1.example.co.uk", "192.0.2.25", "2001:db8::25", "::1"]),
        (.port, ["1", "25", "587", "65535"]),
        (.emailAddress, ["root@localhost", "ovirt+alerts@example.com", "first.last@mail.example.com"]),
        (.emailList, ["root@localhost", "a@example.com,b@example.com", "a@example.com , b@example.com"]),
        (.pythonRegex, ["maintenance|start|stop|migrate|up|down", "up", "EngineUp|EngineDown", ".*", "up|.*", "up||down", "(?i)x"]),
        (.storageConnection, ["nfs.example.com:/exports/he", "192.0.2.5:/he", "[2001:db8::5]:/he", "gl1:/engine", "192.0.2.5,192.0.2.6"]),
        (.mountOptions, ["", "backup-volfile-servers=gl2:gl3", "vers=4.1,soft", "sec=krb5"]),
        (.iscsiNames, ["iqn.2003-01.org.example:he", "iqn.2003-01.org.example:a,iqn.2003-01.org.example:b", "eui.0123456789abcdef"]),
        (.integerList(1...65535), ["3260", "3260,3261"]),
        (.pathsBlacklist, ["", "eth0<>192.0.2.5", "eth0<>192.0.2.5,eth1<>192.0.2.6"]),
        (.uuid, ["8a6a3a4e-5b8f-4c2e-9d61-0c1e7f3b2a90"]),
        (.oneOf(["True", "False"]), ["True", "False"]),
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
        (.storageConnection, ["nfs.example.com:/he/", "nfs.example.com:he", "nfs.example.com:/a//b", "x:/a/../b", "has space:/x", ":/x"]),
        (.mountOptions, ["a,,b", "=x", "a b", "opt=", ",vers=4"]),
        (.iscsiNames, ["iqn.2003-1.org.example", "iqn.", "example", "eui.0123", "iqn.2003-01.org.example:he,"]),
        (.integerList(1...65535), ["0", "3260,", "3260;3261", "70000"]),
        (.pathsBlacklist, ["eth0", "eth0<>", "<>192.0.2.5", "eth0<192.0.2.5"]),
        (.uuid, ["8a6a3a4e5b8f4c2e9d610c1e7f3b2a90", "8a6a3a4e-5b8f-4c2e-9d61-0c1e7f3b2a9g"]),
        (.oneOf(["True", "False"]), ["true", "1", "yes"]),
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
