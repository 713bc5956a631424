/// The records of a pax extended header (`"%d %s=%s\n"`, the length counting itself).
public struct PaxRecords: Equatable, Sendable {
    public struct Record: Equatable, Sendable {
        public var key: [UInt8]
        public var value: [UInt8]
    }

    public private(set) var records: [Record]

    public init<Bytes: Collection>(parsing data: Bytes) throws where Bytes.Element == UInt8 {
        let data = Array(data)
        var records: [Record] = []
        var position = 0
        while position < data.count {
            // Writers pad the data with NULs; the records end at the first one.
            if data[position] == 0 { break }
            guard let space = data[position...].firstIndex(of: 32) else {
                throw ArchiveError.malformed("a pax record has no length")
            }
            let digits = data[position..<space]
            guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                let length = Int(String(decoding: digits, as: UTF8.self)),
                length > digits.count + 1, position + length <= data.count,
                data[position + length - 1] == 10
            else {
                throw ArchiveError.malformed("a pax record's length does not match its text")
            }
            let body = data[(space + 1)..<(position + length - 1)]
            guard let equals = body.firstIndex(of: 61) else {
                throw ArchiveError.malformed("a pax record has no '='")
            }
            records.append(Record(key: Array(body[..<equals]), value: Array(body[(equals + 1)...])))
            position += length
        }
        self.records = records
    }

    public subscript(key: String) -> String? {
        let key = Array(key.utf8)
        return records.last { $0.key == key }.map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// Replaces the value of every record named `key`. Returns false when there is none.
    @discardableResult
    public mutating func replaceValue(of key: String, with value: String) -> Bool {
        let key = Array(key.utf8)
        var found = false
        for index in records.indices where records[index].key == key {
            records[index].value = Array(value.utf8)
            found = true
        }
        return found
    }

    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        for record in records {
            let payload = record.key.count + 1 + record.value.count + 1
            // The length includes its own digits; settle the count of digits first.
            var length = payload + 2
            while String(length).utf8.count + 1 + payload != length {
                length = String(length).utf8.count + 1 + payload
            }
            out += Array(String(length).utf8) + [32] + record.key + [61] + record.value + [10]
        }
        return out
    }
}
