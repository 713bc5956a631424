import Testing

@testable import HostedEngineConfig

/// The typed causes of errors, each worded in one place: commands they suggest take a path as
/// one shell word, secrets stay hidden, and what the storage named is escaped.
struct ProblemWordingTests {
    @Test func aSuggestedCommandQuotesAPathWithSpaces() {
        let path = "/rhev/data-center/mnt/server:_export it/vol"
        #expect(VolumeProblem.immutable(resolved: path).description.hasSuffix("chattr -i -a '\(path)'"))
        let given = VolumeProblem.notVdsms(owner: 0, vdsm: 36, resolved: path).description
        #expect(given.hasSuffix("give it back: chown vdsm:kvm '\(path)' && chmod 0660 '\(path)'"), "\(given)")
        #expect(VolumeProblem.immutable(resolved: "/rhev/plain/vol").description.hasSuffix("chattr -i -a /rhev/plain/vol"))
    }

    @Test func aValueTheReaderWouldMisreadIsHiddenWhenSecret() {
        let secret = ConfigFileProblem.wouldRead(by: .haAgent, key: "iqn_password", read: "pa ss", intended: "pass", secret: true)
        #expect(secret.text(in: "hosted-engine.conf") == "after this change the HA agent would read iqn_password as (secret), not (secret)")
        let shown = ConfigFileProblem.wouldRead(by: .haBroker, key: "email.smtp-port", read: nil, intended: "25", secret: false)
        #expect(shown.text(in: "broker.conf") == "after this change the HA broker would read email.smtp-port as (not set), not '25'")
        let error = HostedEngineError.configFileInvalid(file: "broker.conf", line: 3, problem: shown, outcome: .nothingWritten)
        #expect(
            error.description
                == "broker.conf:3: after this change the HA broker would read email.smtp-port as (not set), not '25'; nothing was written")
    }

    @Test func aNameFromTheStorageIsEscaped() {
        #expect(WorkingDirectoryProblem.notARegularFile(name: "a\u{1b}[2Jb").description.hasPrefix("a\\x1b[2Jb is not a regular file"))
        #expect(VdsmProblem.pathOutsideStorage("/tmp/x\ny").description == "vdsm answered a path outside its storage folders (/tmp/x\\ny)")
    }

    @Test func leaseProblemsSayWhy() {
        #expect(
            HostedEngineError.noCrossHostLease(path: "/dev/sdb", reason: .noDaemon(why: "sanlock: Connection refused")).description
                .hasPrefix(
                    "Cannot write /dev/sdb without the sanlock lease (no sanlock daemon answers on this host (sanlock: Connection refused))"
                ))
        #expect(
            HostedEngineError.leaseLost(path: "/v", reason: .daemonStopped, wroteAnything: false).description.contains(
                "(the sanlock daemon on this host stopped); nothing was written"))
    }
}
