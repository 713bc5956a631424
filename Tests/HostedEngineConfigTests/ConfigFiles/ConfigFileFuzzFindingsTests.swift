import Foundation
import HostedEngineConfig
import TestSupport
import Testing

@Suite struct ConfigFileFuzzFindingsTests {
    /// Found by the fuzzer: a key added to a section must not swallow the indented line after
    /// it as its continuation.
    @Test func anAddedKeyDoesNotAbsorbAnOrphanIndentedLine() throws {
        var file = try ConfigFile(name: "broker.conf", bytes: Array("[email]\n\n  orphan\n[notify]\nstate_transition=up\n".utf8))
        try file.setValue("2525", forKey: "smtp-port", section: "email")
        #expect(try file.value(forKey: "smtp-port", section: "email") == "2525")
        #expect(String(decoding: file.bytes, as: UTF8.self) == "[email]\n\n  orphan\nsmtp-port=2525\n[notify]\nstate_transition=up\n")
    }
}
