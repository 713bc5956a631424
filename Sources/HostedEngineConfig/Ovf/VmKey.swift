/// An editable setting of the engine VM, as the `vm` type names it.
public enum VmKey: Equatable, Sendable, CustomStringConvertible {
    case sockets, coresPerSocket, threadsPerCore, minimumMemory, memory
    case nic(name: String, property: NicProperty)

    public enum NicProperty: String, CaseIterable, Sendable {
        case mac, network, model, linked
    }

    /// The fixed keys, in the order they are listed.
    public static let fixedNames = ["num_of_sockets", "cpu_per_socket", "threads_per_cpu", "min_allocated_mem", "mem_size"]
    /// How NIC keys are listed: `nic.NAME.mac` and so on.
    public static let nicPatterns = NicProperty.allCases.map { "nic.NAME.\($0.rawValue)" }

    public init?(_ text: String) {
        switch text {
        case "num_of_sockets": self = .sockets
        case "cpu_per_socket": self = .coresPerSocket
        case "threads_per_cpu": self = .threadsPerCore
        case "min_allocated_mem": self = .minimumMemory
        case "mem_size": self = .memory
        default:
            // nic.<rasd:Name>.<property>; the name itself may hold dots.
            guard text.hasPrefix("nic."), let lastDot = text.lastIndex(of: "."), lastDot > text.index(text.startIndex, offsetBy: 4),
                let property = NicProperty(rawValue: String(text[text.index(after: lastDot)...]))
            else { return nil }
            self = .nic(name: String(text[text.index(text.startIndex, offsetBy: 4)..<lastDot]), property: property)
        }
    }

    public var description: String {
        switch self {
        case .sockets: return "num_of_sockets"
        case .coresPerSocket: return "cpu_per_socket"
        case .threadsPerCore: return "threads_per_cpu"
        case .minimumMemory: return "min_allocated_mem"
        case .memory: return "mem_size"
        case let .nic(name, property): return "nic.\(name).\(property.rawValue)"
        }
    }
}
