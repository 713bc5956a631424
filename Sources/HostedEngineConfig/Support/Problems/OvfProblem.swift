/// Why the engine VM's OVF cannot be read or changed: each case says what was found;
/// `description` words it in one place, with names from the OVF escaped.
public enum OvfProblem: Equatable, Sendable, CustomStringConvertible {
    case notUTF8
    case noContent
    case noHardwareSection
    /// `what`: the element or field the tool needs, as the OVF names it.
    case lacks(String)
    case cpuItemIncomplete
    case ambiguousNic(String, count: Int)
    case oldMacElsewhere(String)
    case noMatchingInterface(String)

    public var description: String {
        switch self {
        case .notUTF8: return "it is not UTF-8 text"
        case .noContent: return "it has no <Content> element; is it an OVF?"
        case .noHardwareSection: return "it has no VirtualHardwareSection"
        case let .lacks(what): return "it has no \(what)"
        case .cpuItemIncomplete: return "its CPU item has no rasd:num_of_sockets or rasd:cpu_per_socket"
        case let .ambiguousNic(name, count):
            let shown = DisplayText.printable(name)
            return "\(count) NICs are named \(shown), so nic.\(shown) is ambiguous; rename one in the engine"
        case let .oldMacElsewhere(mac):
            return
                "the old MAC address \(DisplayText.printable(mac)) also appears where this tool does not know its meaning; change it in the engine"
        case let .noMatchingInterface(name):
            return "no interface of the embedded XML matches \(DisplayText.printable(name)) (by MAC address or alias)"
        }
    }
}
