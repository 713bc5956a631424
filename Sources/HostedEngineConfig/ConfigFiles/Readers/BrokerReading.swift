/// What the HA broker reads of broker.conf for a notification, as
/// `ovirt_hosted_engine_ha/broker/notifications.py` reads it: the file through
/// `ConfigParser().read(path)`; `get("notify", "state_transition")` (no `[notify]`, or no such
/// key: no notification); then `items("email")`, every option of `[email]` and `[DEFAULT]`
/// interpolated (no `[email]`: the broker's own defaults). Anything configparser raises on the
/// way stops the notification.
public struct BrokerReading: Sendable {
    public let parsed: Result<PythonConfigParser, PythonConfigParser.Failure>

    public init(bytes: [UInt8]) {
        parsed = Result { () throws(PythonConfigParser.Failure) in try PythonConfigParser(bytes: bytes) }
    }

    /// The value the broker reads for `key`, interpolated, with its line; nil when the file
    /// leaves it to the broker (its default, or for `[notify]`, no notification). Throws what
    /// stops the broker reading it.
    public func value(of key: ConfigKey) throws(PythonConfigParser.Failure) -> PythonConfigParser.Option? {
        let parser = try parsed.get()
        let section = key.section ?? "DEFAULT"
        let name = PythonText.lower(key.name)
        if section == "email" {
            guard let items = parser.items(section) else { return nil }
            var found: PythonConfigParser.Option?
            for item in items {
                let value = try item.value.get()
                if PythonText.same(item.option.name, name) { found = .init(name: name, value: value, lineIndex: item.option.lineIndex) }
            }
            return found
        }
        guard let result = parser.get(section, name) else { return nil }
        let option = parser.options(in: section)!.first { PythonText.same($0.name, name) }!
        return .init(name: name, value: try result.get(), lineIndex: option.lineIndex)
    }

    /// The first thing that stops the broker reading any of `keys`.
    public func failure(reading keys: [ConfigKey]) -> PythonConfigParser.Failure? {
        for key in keys {
            do {
                _ = try value(of: key)
            } catch {
                return error
            }
        }
        return nil
    }
}
