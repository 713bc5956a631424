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

/// oVirt's NIC models (VmInterfaceType): the OVF stores the number, libvirt the model name.
public struct NicModel: Equatable, Sendable {
    public let name: String
    public let number: Int
    public let libvirtName: String

    public static let all = [
        NicModel(name: "rtl8139", number: 1, libvirtName: "rtl8139"),
        NicModel(name: "e1000", number: 2, libvirtName: "e1000"),
        NicModel(name: "pv", number: 3, libvirtName: "virtio"),
        NicModel(name: "spapr-vlan", number: 4, libvirtName: "spapr-vlan"),
        NicModel(name: "e1000e", number: 6, libvirtName: "e1000e"),
    ]

    /// By oVirt's name, libvirt's (`virtio` for `pv`), or number.
    public static func named(_ text: String) -> NicModel? {
        all.first { $0.name == text || $0.libvirtName == text || String($0.number) == text }
    }

    public static func numbered(_ number: Int) -> NicModel? {
        all.first { $0.number == number }
    }
}
