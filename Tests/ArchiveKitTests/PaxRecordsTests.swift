import ArchiveKit
import Testing

@Suite struct PaxRecordsTests {
    @Test func parsesWhatGNUTarWrites() throws {
        let data = Array("30 mtime=1795640226.856599273\n30 atime=1795640226.860102418\n".utf8) + [0, 0, 0]
        let records = try PaxRecords(parsing: data)
        #expect(records["mtime"] == "1795640226.856599273")
        #expect(records["atime"] == "1795640226.860102418")
        #expect(records["ctime"] == nil)
    }

    @Test func serializesWithLengthsThatCountThemselves() throws {
        var records = try PaxRecords(parsing: Array("30 mtime=1795640226.856599273\n".utf8))
        records.replaceValue(of: "mtime", with: "1800000000")
        #expect(records.serialized() == Array("20 mtime=1800000000\n".utf8))

        // 7 bytes of payload: "5 a=b\n" is 6 long; a longer value crosses from 1 to 2 digits.
        var crossing = try PaxRecords(parsing: Array("6 a=b\n".utf8))
        crossing.replaceValue(of: "a", with: "bcdef")
        let text = crossing.serialized()
        #expect(text == Array("11 a=bcdef\n".utf8))
        #expect(try PaxRecords(parsing: text)["a"] == "bcdef")
    }

    @Test func refusesRecordsWhoseLengthLies() {
        #expect(throws: ArchiveError.self) { try PaxRecords(parsing: Array("99 mtime=1\n".utf8)) }
        #expect(throws: ArchiveError.self) { try PaxRecords(parsing: Array("5 mtime=1\n".utf8)) }
        #expect(throws: ArchiveError.self) { try PaxRecords(parsing: Array("x mtime=1\n".utf8)) }
        #expect(throws: ArchiveError.self) { try PaxRecords(parsing: Array("10 mtime1\n".utf8)) }
    }
}
