import HostedEngineConfig
import Testing

@Suite struct DisplayTextTests {
    /// Values in messages are shown as an administrator would type them, on one line.
    @Test func controlCharactersAreShownAsTheyAreTyped() {
        #expect(DisplayText.printable("a\nb\rc\td") == #"a\nb\rc\td"#)
        #expect(DisplayText.printable("\u{1B}[31m\u{7F}\u{85}") == #"\x1b[31m\x7f\x85"#)
        #expect(DisplayText.printable("line\u{2028}sep") == #"line\u2028sep"#)
        #expect(DisplayText.printable("plain é ς") == "plain é ς")
        #expect(DisplayText.quoted(nil, secret: false) == "(not set)")
        #expect(DisplayText.quoted("s3cret", secret: true) == "(secret)")
        #expect(DisplayText.quoted("s3cret", secret: true, showSecrets: true) == "'s3cret'")
    }
}
