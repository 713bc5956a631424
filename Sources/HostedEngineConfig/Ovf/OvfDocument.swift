/// The engine VM's OVF, with the place of every value the `vm` type reads or writes: the
/// VirtualHardwareSection's CPU, memory and NIC items and the captions that restate them, and
/// the libvirt domain XML that oVirt 4.2 and later embed, escaped, in `EngineXml` (what the HA
/// agents start the VM from).
public struct OvfDocument: Sendable {
    /// A value in the document: where its text is, and what it says.
    struct Field: Equatable, Sendable {
        let range: Range<Int>
        let value: String
    }

    struct CpuItem: Sendable {
        var caption, sockets, cores, threads, maxVcpus, quantity: Field?
    }

    struct MemoryItem: Sendable {
        var caption, quantity: Field?
    }

    struct Nic: Sendable {
        let name: String
        var caption, mac, connection, otherResourceType, subType, linked: Field?
        let instanceId: String?
    }

    struct Interface: Sendable {
        var mac, bridge, model, link: Field?
        let alias: String?
    }

    struct NumaCell: Sendable {
        var cpus, memory: Field?
    }

    struct EngineXml: Sendable {
        var memory, currentMemory, vcpuCurrent, vcpuMax, sockets, cores, threads, minGuaranteed: Field?
        var cells: [NumaCell] = []
        var interfaces: [Interface] = []
        /// `ovirt-vm:device mac_address="..."` in the metadata: device properties tied to a NIC.
        var deviceMacs: [Field] = []
    }

    public let bytes: [UInt8]
    /// For messages: the member name (`<vmid>.ovf`).
    public let name: String
    var minAllocatedMem, maxMemorySizeMb, hardwareInfo: Field?
    var cpu = CpuItem()
    var memory = MemoryItem()
    var nics: [Nic] = []
    /// Networks the OVF's NetworkSection lists.
    public private(set) var networks: [String] = []
    var engine: EngineXml?

    public init(bytes: [UInt8], name: String) throws {
        self.bytes = bytes
        self.name = name
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw HostedEngineError.ovfInvalid(name: name, problem: .notUTF8)
        }
        let xml = XmlScanner(bytes: bytes)
        let whole = 0..<bytes.count
        guard let content = xml.firstElement(named: "Content", in: whole)?.content else {
            throw HostedEngineError.ovfInvalid(name: name, problem: .noContent)
        }
        minAllocatedMem = field(xml, "MinAllocatedMem", in: content)
        maxMemorySizeMb = field(xml, "MaxMemorySizeMb", in: content)

        for network in xml.elements(named: "Network", in: whole) {
            if let value = xml.attribute("ovf:name", of: network) { networks.append(xml.text(value)) }
        }

        guard
            let hardware = xml.elements(named: "Section", in: content).first(where: { section in
                xml.attribute("xsi:type", of: section).map { xml.text($0) } == "ovf:VirtualHardwareSection_Type"
            }), let items = hardware.content
        else {
            throw HostedEngineError.ovfInvalid(name: name, problem: .noHardwareSection)
        }
        hardwareInfo = field(xml, "Info", in: items)
        for item in xml.elements(named: "Item", in: items) {
            guard let body = item.content, let type = field(xml, "rasd:ResourceType", in: body) else { continue }
            switch type.value {
            case "3":
                cpu = CpuItem(
                    caption: field(xml, "rasd:Caption", in: body), sockets: field(xml, "rasd:num_of_sockets", in: body),
                    cores: field(xml, "rasd:cpu_per_socket", in: body), threads: field(xml, "rasd:threads_per_cpu", in: body),
                    maxVcpus: field(xml, "rasd:max_num_of_vcpus", in: body), quantity: field(xml, "rasd:VirtualQuantity", in: body))
            case "4":
                memory = MemoryItem(caption: field(xml, "rasd:Caption", in: body), quantity: field(xml, "rasd:VirtualQuantity", in: body))
            case "10":
                guard let nicName = field(xml, "rasd:Name", in: body) else { continue }
                nics.append(
                    Nic(
                        name: nicName.value, caption: field(xml, "rasd:Caption", in: body), mac: field(xml, "rasd:MACAddress", in: body),
                        connection: field(xml, "rasd:Connection", in: body),
                        otherResourceType: field(xml, "rasd:OtherResourceType", in: body),
                        subType: field(xml, "rasd:ResourceSubType", in: body), linked: field(xml, "rasd:Linked", in: body),
                        instanceId: field(xml, "rasd:InstanceId", in: body)?.value))
            default:
                continue
            }
        }
        if let embedded = xml.firstElement(named: "EngineXml", in: content)?.content, !embedded.isEmpty {
            engine = Self.readEngineXml(XmlScanner(bytes: bytes, escaped: true), in: embedded)
        }
    }

    private static func readEngineXml(_ xml: XmlScanner, in range: Range<Int>) -> EngineXml {
        var engine = EngineXml()
        engine.memory = field(xml, "memory", in: range)
        engine.currentMemory = field(xml, "currentMemory", in: range)
        if let vcpu = xml.firstElement(named: "vcpu", in: range) {
            engine.vcpuCurrent = attribute(xml, "current", of: vcpu)
            engine.vcpuMax = vcpu.content.map { Field(range: $0, value: xml.text($0)) }
        }
        if let cpu = xml.firstElement(named: "cpu", in: range), let body = cpu.content {
            if let topology = xml.firstElement(named: "topology", in: body) {
                engine.sockets = attribute(xml, "sockets", of: topology)
                engine.cores = attribute(xml, "cores", of: topology)
                engine.threads = attribute(xml, "threads", of: topology)
            }
            engine.cells = xml.elements(named: "cell", in: body).map { cell in
                NumaCell(cpus: attribute(xml, "cpus", of: cell), memory: attribute(xml, "memory", of: cell))
            }
        }
        engine.minGuaranteed = field(xml, "minGuaranteedMemoryMb", in: range)
        if let devices = xml.firstElement(named: "devices", in: range)?.content {
            engine.interfaces = xml.elements(named: "interface", in: devices).compactMap { interface in
                guard let body = interface.content else { return nil }
                func child(_ name: String, _ attributeName: String) -> Field? {
                    xml.firstElement(named: name, in: body).flatMap { attribute(xml, attributeName, of: $0) }
                }
                return Interface(
                    mac: child("mac", "address"), bridge: child("source", "bridge"), model: child("model", "type"),
                    link: child("link", "state"), alias: child("alias", "name")?.value)
            }
        }
        engine.deviceMacs = xml.elements(named: "ovirt-vm:device", in: range).compactMap { attribute(xml, "mac_address", of: $0) }
        return engine
    }

    private func field(_ xml: XmlScanner, _ name: String, in range: Range<Int>) -> Field? {
        Self.field(xml, name, in: range)
    }

    private static func field(_ xml: XmlScanner, _ name: String, in range: Range<Int>) -> Field? {
        xml.firstElement(named: name, in: range)?.content.map { Field(range: $0, value: xml.text($0)) }
    }

    private static func attribute(_ xml: XmlScanner, _ name: String, of element: XmlScanner.Element) -> Field? {
        xml.attribute(name, of: element).map { Field(range: $0, value: xml.text($0)) }
    }

    // MARK: - Values

    /// The NIC named `name`; throws when there is none, or more than one.
    func nic(named name: String) throws -> Nic {
        let found = nics.filter { $0.name == name }
        guard let nic = found.first else {
            let names = nics.map(\.name)
            throw HostedEngineError.invalidValue(
                key: "nic.\(name)", value: name,
                rule: names.isEmpty ? "the OVF has no NIC" : "the OVF's NICs are named \(names.joined(separator: ", "))")
        }
        guard found.count == 1 else {
            throw HostedEngineError.ovfInvalid(
                name: self.name, problem: .ambiguousNic(name, count: found.count))
        }
        return nic
    }

    /// The embedded interface that is `nic`: by MAC address, by the alias oVirt gives it
    /// (`ua-<InstanceId>`), or the only one there is.
    func interface(for nic: Nic) -> Int? {
        guard let interfaces = engine?.interfaces, !interfaces.isEmpty else { return nil }
        if let mac = nic.mac?.value.lowercased(), let index = interfaces.firstIndex(where: { $0.mac?.value.lowercased() == mac }) {
            return index
        }
        if let id = nic.instanceId, let index = interfaces.firstIndex(where: { $0.alias == "ua-\(id)" }) {
            return index
        }
        return interfaces.count == 1 && nics.count == 1 ? 0 : nil
    }

    /// The value of `key` as the OVF states it.
    public func value(of key: VmKey) throws -> String {
        func required(_ field: Field?, _ what: String) throws -> String {
            guard let field else { throw HostedEngineError.ovfInvalid(name: name, problem: .lacks(what)) }
            return field.value
        }
        switch key {
        case .sockets: return try required(cpu.sockets, "rasd:num_of_sockets")
        case .coresPerSocket: return try required(cpu.cores, "rasd:cpu_per_socket")
        case .threadsPerCore: return cpu.threads?.value ?? "1"
        case .minimumMemory: return try required(minAllocatedMem, "MinAllocatedMem")
        case .memory: return try required(memory.quantity, "memory Item's rasd:VirtualQuantity")
        case let .nic(nicName, property):
            let nic = try nic(named: nicName)
            switch property {
            case .mac: return try required(nic.mac, "rasd:MACAddress for \(nicName)")
            case .network: return try required(nic.connection, "rasd:Connection for \(nicName)")
            case .linked: return try required(nic.linked, "rasd:Linked for \(nicName)")
            case .model:
                let number = try required(nic.subType, "rasd:ResourceSubType for \(nicName)")
                return Int(number).flatMap(NicModel.numbered)?.name ?? number
            }
        }
    }

    /// Every key and its value, fixed keys first, then each NIC's.
    public func allValues() -> [(key: VmKey, value: String)] {
        var keys: [VmKey] = [.sockets, .coresPerSocket, .threadsPerCore, .minimumMemory, .memory]
        for nic in nics where nics.filter({ $0.name == nic.name }).count == 1 {
            keys += VmKey.NicProperty.allCases.map { .nic(name: nic.name, property: $0) }
        }
        return keys.compactMap { key in (try? value(of: key)).map { (key, $0) } }
    }
}
