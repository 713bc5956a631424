import ArchiveKit
import HostedEngineConfig

/// What the fuzzer drives: the archive reader and splicer, and the config-file editor, with
/// the invariants they promise checked on every input. A broken invariant stops the process,
/// which libFuzzer records as a crash.
public enum FuzzTargets {
    /// The first byte picks the target; the rest is its input.
    public static func run(_ data: [UInt8]) {
        guard let selector = data.first else { return }
        let input = Array(data.dropFirst())
        switch selector % 4 {
        case 0: archive(input)
        case 1: configFile(input)
        case 2: tarPieces(input)
        default: gzip(input)
        }
    }

    /// Any bytes as a configuration volume's archive: parse, and when it parses, replace
    /// broker.conf and check that every other member kept its bytes.
    static func archive(_ bytes: [UInt8]) {
        guard let archive = try? ConfigArchive(bytes: bytes, origin: "fuzz") else { return }
        let replacement = Array("[email]\nsmtp-server=fuzz.example.com\n".utf8)
        guard let result = try? archive.replacing(member: "broker.conf", with: replacement, modificationTime: 1, allowLargeArchive: true)
        else {
            return
        }
        guard let reread = try? ConfigArchive(bytes: result, origin: "fuzz-result") else {
            fatalError("a replaced archive no longer parses")
        }
        check(reread.contents(of: "broker.conf") == replacement, "the replaced member lost its content")
        for name in ConfigArchive.memberNames where name != "broker.conf" {
            guard let before = archive.member(named: name), let after = reread.member(named: name) else {
                fatalError("member \(name) vanished")
            }
            check(Array(archive.bytes[before.span]) == Array(result[after.span]), "member \(name) changed")
        }
        // Whatever the volume holds, a whole config-file round trip on its broker.conf.
        if let broker = archive.contents(of: "broker.conf") { configFile(broker) }
    }

    /// Python's configparser beside the fuzzer, when `scripts/fuzz` starts one
    /// (`HE_CONFIGPARSER_ORACLE`): broker.conf inputs are then read by both, and must agree.
    nonisolated(unsafe) public static var oracle: ConfigparserOracle?

    /// Any bytes as broker.conf: read as the broker reads it (against Python, when the oracle
    /// runs); set each editable key, and check that the value reads back, that nothing else
    /// changed, and that validation does not trip.
    static func configFile(_ bytes: [UInt8]) {
        if let oracle, let answer = try? oracle.read(bytes), let difference = ConfigparserComparison.difference(bytes, answer) {
            fatalError("the reader disagrees with configparser: \(difference)")
        }
        guard var file = try? Schema.standard.file(member: "broker.conf", bytes: bytes) else { return }
        let validator = ConfigValidator(schema: .standard)
        _ = validator.problems(inMember: "broker.conf", bytes: bytes)
        for key in ConfigType.broker.keys {
            let before = file
            let value = key.name == "smtp-port" ? "2525" : "fuzz@example.com"
            // What the tool would write: the set, then the check as the broker reads it (a file
            // the broker cannot read is refused, and an unparsed line may carry a value on).
            guard (try? file.setValue(value, forKey: key.name, section: key.section)) != nil,
                (try? BrokerReading.verify(
                    old: before.bytes, new: file.bytes, changed: [(key, value)], keys: ConfigType.broker.keys, file: "broker.conf"))
                    != nil
            else {
                file = before
                continue
            }
            guard let readBack = try? file.value(forKey: key.name, section: key.section) else {
                fatalError("\(key.name) cannot be read back after it was set")
            }
            check(readBack == value, "\(key.name) reads back as \(readBack), not \(value)")
            // Only the key's own line (and its continuation lines) may go.
            let own = before.entries(forKey: key.name, section: key.section).first
            let allowed = own.map { 1 + $0.continuationLines.count } ?? 0
            let lost = Set(lines(before.bytes)).subtracting(lines(file.bytes))
            check(lost.count <= allowed, "setting \(key.name) changed more than its own lines")
        }
        _ = validator.problems(
            base: ["broker.conf": bytes], proposed: ["broker.conf": file.bytes], memberOrder: ["broker.conf"], whitelist: true)
    }

    /// Raw tar pieces: header fields, pax records, and the tar reader with member limits.
    static func tarPieces(_ bytes: [UInt8]) {
        if bytes.count >= 512, var header = try? TarHeaderBlock(bytes.prefix(512)) {
            for field in [TarHeaderBlock.Field.size, .mtime, .mode, .uid, .gid, .checksum] {
                if let value = try? header.numericValue(field), value >= 0, field != .checksum {
                    try? header.setNumericValue(field, value)
                    check((try? header.numericValue(field)) == value, "a header field does not read back")
                }
            }
            try? header.updateChecksum()
        }
        if let records = try? PaxRecords(parsing: bytes) {
            check((try? PaxRecords(parsing: records.serialized())) == records, "pax records do not round-trip")
        }
        if let tar = try? TarArchive(bytes: bytes, limits: .init(maximumMembers: 64, maximumMemberSize: 1 << 20)) {
            for index in tar.members.indices where tar.members[index].entry.kind == .regular {
                _ = try? tar.replacingContents(ofMemberAt: index, with: [1, 2, 3], modificationTime: 2)
            }
        }
    }

    static func gzip(_ bytes: [UInt8]) {
        if let plain = try? Gzip.decompress(bytes, limit: 1 << 22) {
            check((try? Gzip.decompress(try Gzip.compress(plain), limit: 1 << 22)) == plain, "gzip does not round-trip")
        }
    }

    /// Lines as bytes, split as the file's readers split them (`\n`, `\r\n`, a lone `\r`),
    /// without their endings: a last line without one gets the file's when a key is added.
    private static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        PythonText.lines(String(decoding: bytes, as: UTF8.self)).map { Array($0.text.utf8) }.filter { !$0.isEmpty }
    }

    private static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fatalError(message()) }
    }
}
