/// Who reads a member of the archive, and so how it is parsed, checked and read back.
public enum MemberReader: Sendable, Equatable {
    /// key=value text, INI when it has a section header (the HA agent, otopi).
    case keyValue
    /// Python's configparser, as the HA broker reads broker.conf: always INI, refused whole on
    /// any error configparser raises, values interpolated (`PythonConfigParser`, `BrokerReading`).
    case haBroker
    /// The HA agent's `key=value` loop, as it reads hosted-engine.conf: always flat
    /// (`AgentConfReading`).
    case haAgent
}
