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
