import HostedEngineConfig
import TestSupport
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

    /// Bidi overrides and other invisible format characters make a text read as something else:
    /// escaped too, in text and in JSON; tabs stay in a diff's lines.
    @Test func invisibleCharactersAreShownToo() {
        #expect(DisplayText.printable("mail\u{202E}moc.elpmaxe") == #"mail\u202emoc.elpmaxe"#)
        #expect(DisplayText.printable("a\u{200B}b\u{FEFF}c\u{2066}d") == #"a\u200bb\ufeffc\u2066d"#)
        #expect(DisplayText.printableLine("key =\tvalue\u{1B}") == "key =\tvalue\\x1b")
        #expect(JSONText.string("x\u{202E}y\u{1B}").description == #""x\u202ey\u001b""#)
    }

    /// A path or key from the storage goes into a suggested command as one word of sh, whatever
    /// it holds: a name vdsm chose cannot become shell syntax in a fix an administrator runs.
    @Test func aSuggestedCommandsWordsStayWords() throws {
        #expect(DisplayText.shellWord("/rhev/data-center/mnt/a:b/v-1") == "/rhev/data-center/mnt/a:b/v-1")
        for hostile in ["x'; touch /tmp/owned; echo '", "$(reboot)", "a b", "`id`", "'", ""] {
            let echoed = try Command.shell("printf '%s|' \(DisplayText.shellWord(hostile)) end").stdout
            #expect(echoed == hostile + "|end|", "\(hostile)")
        }
    }
}
