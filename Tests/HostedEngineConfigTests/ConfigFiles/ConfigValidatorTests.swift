import HostedEngineConfig
import TestSupport
import Testing

@Suite struct ConfigValidatorTests {
    let validator = ConfigValidator(schema: .standard)

    func members() throws -> [String: [UInt8]] {
        Dictionary(uniqueKeysWithValues: try Fixtures.configMembers().map { ($0.name, $0.bytes) })
    }

    func problems(changing member: String, _ edit: (String) -> String, whitelist: Bool = true) throws -> [String] {
        let base = try members()
        var proposed = base
        proposed[member] = Array(edit(String(decoding: base[member]!, as: UTF8.self)).utf8)
        return validator.problems(base: base, proposed: proposed, memberOrder: ConfigArchive.memberNames, whitelist: whitelist).map(
            \.description)
    }

    @Test func anEditableChangeWithAValidValueHasNoProblem() throws {
        #expect(try problems(changing: "broker.conf") { $0.replacingOccurrences(of: "smtp-port=25", with: "smtp-port=587") }.isEmpty)
        #expect(try problems(changing: "broker.conf") { "# a comment\n" + $0 }.isEmpty)
    }

    @Test func reportsEveryProblemWithItsLine() throws {
        let found = try problems(changing: "broker.conf") { text in
            text.replacingOccurrences(of: "smtp-port=25", with: "smtp-port=99999")
                .replacingOccurrences(of: "smtp-timeout=10", with: "smtp-timeout=20")
                .replacingOccurrences(
                    of: "source-email=root@localhost", with: "source-email=root@localhost\nsource-email=x@example.com\nthis is not a key")
        }
        #expect(
            found == [
                "broker.conf:3: Invalid value '99999' for email.smtp-port: expected a port number from 1 to 65535.",
                "broker.conf:4: email.smtp-timeout is not editable (changed from '10' to '20'); the editable keys of broker.conf are smtp-port, destination-emails, smtp-server, source-email, state_transition",
                "broker.conf:7: source-email is set more than once in [email] (lines 6 and 7); remove all but one",
                "broker.conf:8: this line is not a key = value line, a [section] header or a comment",
            ])
    }

    @Test func aNonEditableFileIsOneProblem() throws {
        #expect(
            try problems(changing: "vm.conf") { $0.replacingOccurrences(of: "memSize=4096", with: "memSize=8192") }
                == ["vm.conf:2: vm.conf is not editable; only broker.conf, hosted-engine.conf can be changed"])
        #expect(
            try problems(changing: "version") { _ in "9.9.9\n" } == [
                "version:1: version is not editable; only broker.conf, hosted-engine.conf can be changed"
            ])
    }

    @Test func secretsAreNotPrinted() throws {
        let found = try problems(changing: "hosted-engine.conf") { $0.replacingOccurrences(of: "password=", with: "password=s3cret;x") }
        #expect(found.count == 1)
        #expect(!found[0].contains("s3cret"))
        var base = try members()
        base["broker.conf"] = Array("[email]\npassword=old\n".utf8)
        var proposed = base
        proposed["broker.conf"] = Array("[email]\npassword=n3w\n".utf8)
        let schema = Schema(
            types: [
                ConfigType(
                    name: "broker", member: "broker.conf",
                    keys: [
                        ConfigKey(name: "smtp-port", section: "email", rule: .port)
                    ])
            ], members: [MemberSchema(name: "broker.conf", isParsed: true, secretKeys: ["password"])])
        let masked = ConfigValidator(schema: schema).problems(base: base, proposed: proposed, memberOrder: ["broker.conf"], whitelist: true)
        #expect(
            masked.map(\.description) == [
                "broker.conf:2: email.password is not editable (changed from (secret) to (secret)); the editable keys of broker.conf are smtp-port"
            ])
    }

    @Test func removingAnEditableKeyOrAFileIsAProblem() throws {
        #expect(
            try problems(changing: "broker.conf") { $0.replacingOccurrences(of: "smtp-port=25\n", with: "") }
                == ["broker.conf:3: email.smtp-port was removed; give it a value instead"])
        let base = try members()
        var proposed = base
        proposed["broker.conf"] = nil
        #expect(
            validator.problems(base: base, proposed: proposed, memberOrder: ConfigArchive.memberNames, whitelist: true).map(\.description)
                == ["broker.conf:0: the file is missing; every host needs it"])
    }

    @Test func withoutTheWhitelistOnlyTheTextIsChecked() throws {
        #expect(try problems(changing: "vm.conf", { $0 + "memSize=1\n" }, whitelist: false).isEmpty)
        #expect(
            try problems(changing: "broker.conf", { $0 + "garbage\n" }, whitelist: false)
                == ["broker.conf:10: this line is not a key = value line, a [section] header or a comment"])
    }
}
