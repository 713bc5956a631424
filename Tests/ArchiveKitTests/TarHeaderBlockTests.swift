import ArchiveKit
import TestSupport
import Testing

@Suite struct TarHeaderBlockTests {
    /// A header block with `text` written into `field`.
    func block(setting fields: [(TarHeaderBlock.Field, String)]) throws -> TarHeaderBlock {
        var bytes = [UInt8](repeating: 0, count: 512)
        for (field, text) in fields {
            bytes.replaceSubrange(field.offset..<(field.offset + text.utf8.count), with: Array(text.utf8))
        }
        return try TarHeaderBlock(bytes)
    }

    @Test func readsGNUAndPythonStyleOctal() throws {
        let header = try block(setting: [(.size, "00000000263\0"), (.mode, "0000644\0")])
        #expect(try header.numericValue(.size) == 179)
        #expect(try header.numericValue(.mode) == 0o644)
    }

    @Test func readsSpacePaddedAndSpaceTerminatedOctal() throws {
        let header = try block(setting: [(.size, "        263 "), (.mode, "000644 \0")])
        #expect(try header.numericValue(.size) == 179)
        #expect(try header.numericValue(.mode) == 0o644)
    }

    @Test func readsBase256() throws {
        var header = try block(setting: [])
        var bytes = header.bytes
        bytes[124] = 0x80
        bytes[135] = 0x01
        bytes[134] = 0x02
        header = try TarHeaderBlock(bytes)
        #expect(try header.numericValue(.size) == 0x0201)
    }

    @Test func refusesLettersInANumber() throws {
        let header = try block(setting: [(.size, "0000000x263\0")])
        #expect(throws: ArchiveError.self) { try header.numericValue(.size) }
    }

    @Test func keepsTheFieldsStyleWhenSetting() throws {
        var header = try block(setting: [(.size, "        263 ")])
        try header.setNumericValue(.size, 8)
        #expect(Array(header.bytes[124..<136]) == Array("        010 ".utf8))

        var gnu = try block(setting: [(.size, "00000000263\0")])
        try gnu.setNumericValue(.size, 4096)
        #expect(Array(gnu.bytes[124..<136]) == Array("00000010000\0".utf8))
    }

    @Test func widensOrSwitchesToBase256WhenTheValueDoesNotFit() throws {
        var narrow = try block(setting: [(.size, "        263 ")])
        try narrow.setNumericValue(.size, 0o7777)
        #expect(Array(narrow.bytes[124..<136]) == Array("00000007777\0".utf8))

        var huge = try block(setting: [(.size, "00000000263\0")])
        try huge.setNumericValue(.size, 1 << 40)
        #expect(huge.bytes[124] == 0x80)
        #expect(try huge.numericValue(.size) == 1 << 40)
    }

    @Test func checksumMatchesWhatGNUTarWrites() throws {
        let directory = try TemporaryDirectory("header")
        try directory.write("files/broker.conf", "smtp-server=localhost\n")
        try Command.shell("cd '\(directory.path)/files' && tar -cf ../a.tar broker.conf")
        let archive = try directory.read("a.tar")
        let original = try TarHeaderBlock(archive[0..<512])
        #expect(original.hasValidChecksum)

        var edited = original
        try edited.setNumericValue(.size, 0)
        #expect(!edited.hasValidChecksum)
        try edited.setNumericValue(.size, 22)
        try edited.updateChecksum()
        #expect(edited == original)
    }
}
