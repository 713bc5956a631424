/// How `--history` and `--show-version` show a version: every field read from the storage is
/// escaped and bounded before it is printed.
extension HistoryEntry {
    public static let listingHeader =
        "ID     TIME                     HOST                  USER          COMMAND                          KEYS CHANGED"

    /// `host 1 (name)`, `(unknown)` for a version found on the volume.
    public var hostText: String {
        let name = DisplayText.printable(hostname)
        switch (hostId, name.isEmpty) {
        case let (id?, false): return "host \(id) (\(name))"
        case let (id?, true): return "host \(id)"
        case (nil, false): return name
        case (nil, true): return "(unknown)"
        }
    }

    public var keysText: String {
        if !keys.isEmpty { return keys.map { DisplayText.printable($0) }.joined(separator: ", ") }
        return base == nil && command != HistoryRecorder.foundCommand ? "(written whole)" : "-"
    }

    /// One line of `--history`; `current`: the volume holds this version now.
    public func line(current: Bool) -> String {
        let user = self.user.isEmpty ? "(unknown)" : DisplayText.printable(self.user)
        let fields = [
            Self.pad(id, 5), TimeText.readable(time), Self.pad(hostText, 20), Self.pad(user, 12),
            Self.pad(Self.cut(DisplayText.printable(command), 31), 31), keysText + (current ? "  (now)" : ""),
        ]
        return fields.joined(separator: "  ")
    }

    public func json(current: Bool) -> JSONText {
        var fields: [(String, JSONText)] = [
            ("id", .string(id)), ("time", .string(TimeText.iso(time))), ("host_id", hostId.map { .number(Int64($0)) } ?? .null),
            ("hostname", .string(DisplayText.printable(hostname))), ("user", .string(DisplayText.printable(user))),
            ("command", .string(DisplayText.printable(command))), ("keys", .array(keys.map { .string(DisplayText.printable($0)) })),
            ("checksum", .string(checksum.description)), ("bytes", .number(Int64(length))),
        ]
        fields.append(("current", .bool(current)))
        return .object(fields)
    }

    /// At most `width` characters: the table's column (--show-version and --json give it whole).
    private static func cut(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
