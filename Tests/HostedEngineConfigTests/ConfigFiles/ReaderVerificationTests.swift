import HostedEngineConfig
import Testing

/// The checks every write makes before anything is written: each way a new file could be read
/// otherwise than intended is refused, saying how.
@Suite struct ReaderVerificationTests {
    static let smtpServer = ConfigType.broker.keys.first { $0.name == "smtp-server" }!

    func brokerRefusal(_ old: String, _ new: String, intended: String = "b") -> String? {
        do {
            _ = try BrokerReading.verify(
                old: Array(old.utf8), new: Array(new.utf8), changed: [(Self.smtpServer, intended)], keys: ConfigType.broker.keys,
                file: "broker.conf")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func theBrokerCheckRefusesEveryOtherReading() {
        #expect(brokerRefusal("[email]\nsmtp-server=a\n", "[email]\nsmtp-server=b\n") == nil)
        #expect(
            brokerRefusal("[email]\nsmtp-server=a\nhost=m\n", "[email]\nsmtp-server=%(host)s\nhost=m\n")
                == "broker.conf:2: after this change the HA broker would read email.smtp-server as 'm', not 'b'; nothing was written")
        #expect(
            brokerRefusal("[email]\nsmtp-server=a\nsmtp-port=25\n", "[email]\nsmtp-server=b\nsmtp-port=26\n")
                == "broker.conf:3: after this change the HA broker would read email.smtp-port as '26', not '25'; nothing was written")
        #expect(
            brokerRefusal("[email]\nsmtp-server=a\nsmtp-port=25\n", "[email]\nsmtp-server=b\n")
                == "broker.conf: after this change the HA broker would no longer read email.smtp-port; nothing was written")
        let broken = brokerRefusal("[a]\nx=%(y)s\ny=1\n[email]\nsmtp-server=a\n", "[a]\nx=%(y)s\n[email]\nsmtp-server=b\n")
        #expect(
            broken?.hasPrefix("broker.conf:2: a.x refers to %(y)s, which [a] does not set (InterpolationMissingOptionError)") == true,
            "\(broken ?? "")")
        #expect(broken?.hasSuffix("; nothing was written") == true)
    }

    func agentRefusal(_ old: String, _ new: [UInt8], intended: String = "192.0.2.9") -> String? {
        do {
            try AgentConfReading.verify(old: Array(old.utf8), new: new, changed: [("gateway", intended)], file: "hosted-engine.conf")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func theAgentCheckRefusesEveryOtherReading() {
        #expect(agentRefusal("gateway=192.0.2.1\nhost_id=1\n", Array("gateway=192.0.2.9\nhost_id=1\n".utf8)) == nil)
        #expect(
            agentRefusal("gateway=192.0.2.1\n", Array("gateway=192.0.2.9\ngateway=192.0.2.1\n".utf8))
                == "hosted-engine.conf: after this change the HA agent would read gateway as '192.0.2.1', not '192.0.2.9'; nothing was written"
        )
        #expect(
            agentRefusal("gateway=192.0.2.1\nhost_id=1\n", Array("gateway=192.0.2.9\nhost_id=2\n".utf8))
                == "hosted-engine.conf: after this change the HA agent would read host_id as '2', not '1'; nothing was written")
        let undecodable = agentRefusal("gateway=192.0.2.1\n", Array("gateway=192.0.2.9\n".utf8) + [0xFF])
        #expect(
            undecodable?.hasPrefix("hosted-engine.conf:2: the file is not UTF-8 text (UnicodeDecodeError), so the HA agent cannot read it")
                == true)
        #expect(undecodable?.hasSuffix("; nothing was written") == true)
    }

    @Test func theAgentsMisreadingOfASecretDoesNotShowIt() throws {
        let new = Array("password=s3cret-a\npassword=s3cret-b\n".utf8)
        let error = #expect(throws: HostedEngineError.self) {
            try AgentConfReading.verify(
                old: Array("password=\n".utf8), new: new, changed: [("password", "s3cret-a")], file: "hosted-engine.conf",
                isSecret: { $0 == "password" })
        }
        #expect(error?.description.contains("would read password as (secret), not (secret)") == true, "\(String(describing: error))")
        #expect(error?.description.contains("s3cret") == false)
    }
}
