extension OvfDocument {
    /// The OVF with `key` set to `value` everywhere it is stated, or nil when it already says
    /// exactly that everywhere. Checks the value against oVirt's rules; `force` accepts a
    /// network the OVF's NetworkSection does not list.
    public func setting(_ key: VmKey, to value: String, force: Bool) throws -> OvfChange? {
        try ValueRule.text.validate(value, key: key.description)
        var edits: [OvfEdit] = []
        func edit(_ field: Field?, _ new: String, _ place: String) {
            guard let field, field.value != new else { return }
            edits.append(OvfEdit(place: place, old: field.value, new: new, range: field.range))
        }

        switch key {
        case .sockets, .coresPerSocket, .threadsPerCore:
            try setTopology(key, value, edit)
        case .memory:
            let megabytes = try mebibytes(value, key)
            if let minimum = minAllocatedMem.flatMap({ Int($0.value) }), megabytes < minimum {
                throw rule(
                    key, value,
                    "mem_size is in MiB and must be at least min_allocated_mem (\(minimum) MiB); to lower both, set min_allocated_mem first, then mem_size"
                )
            }
            if let maximum = maxMemorySizeMb.flatMap({ Int($0.value) }), megabytes > maximum {
                throw rule(key, value, "mem_size is in MiB and must be at most MaxMemorySizeMb (\(maximum) MiB)")
            }
            edit(memory.quantity, "\(megabytes)", "OVF memory rasd:VirtualQuantity")
            edit(memory.caption, Self.replacingNumber(0, in: memory.caption?.value, with: megabytes), "OVF memory rasd:Caption")
            edit(hardwareInfo, Self.replacingNumber(1, in: hardwareInfo?.value, with: megabytes), "OVF VirtualHardwareSection Info")
            if let engine {
                edit(engine.memory, "\(megabytes * 1024)", "EngineXml <memory> (KiB)")
                edit(engine.currentMemory, "\(megabytes * 1024)", "EngineXml <currentMemory> (KiB)")
                let cell = try singleCell(engine, key, value)
                edit(cell?.memory, "\(megabytes * 1024)", "EngineXml <numa cell memory> (KiB)")
            }
        case .minimumMemory:
            let megabytes = try mebibytes(value, key)
            if let size = memory.quantity.flatMap({ Int($0.value) }), megabytes > size {
                throw rule(
                    key, value,
                    "min_allocated_mem is in MiB and must be at most mem_size (\(size) MiB); to raise both, set mem_size first, then min_allocated_mem"
                )
            }
            guard minAllocatedMem != nil else { throw HostedEngineError.ovfInvalid(name: name, problem: .lacks("MinAllocatedMem")) }
            edit(minAllocatedMem, "\(megabytes)", "OVF MinAllocatedMem")
            edit(engine?.minGuaranteed, "\(megabytes)", "EngineXml <minGuaranteedMemoryMb>")
        case let .nic(nicName, property):
            try setNic(try nic(named: nicName), property, value, force: force, edit)
        }

        if edits.isEmpty { return nil }
        var bytes = self.bytes
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(edit.range, with: Array(edit.new.utf8))
        }
        if case .nic(_, .mac) = key {
            for old in Set(edits.map { $0.old.lowercased() }) where Self.contains(bytes, old) {
                throw HostedEngineError.ovfInvalid(
                    name: name,
                    problem: .oldMacElsewhere(old))
            }
        }
        return OvfChange(key: key, edits: edits, bytes: bytes)
    }

    private func setTopology(_ key: VmKey, _ value: String, _ edit: (Field?, String, String) -> Void) throws {
        let number = try positive(value, key)
        guard var sockets = cpu.sockets.flatMap({ Int($0.value) }), var cores = cpu.cores.flatMap({ Int($0.value) }) else {
            throw HostedEngineError.ovfInvalid(name: name, problem: .cpuItemIncomplete)
        }
        var threads = cpu.threads.flatMap { Int($0.value) } ?? 1
        switch key {
        case .sockets: sockets = number
        case .coresPerSocket: cores = number
        default:
            guard cpu.threads != nil || number == 1 else {
                throw rule(key, value, "this OVF has no rasd:threads_per_cpu (one thread per core); change it in the engine")
            }
            threads = number
        }
        let total = sockets * cores * threads
        if let maximum = cpu.maxVcpus.flatMap({ Int($0.value) }), total > maximum {
            throw rule(key, value, "sockets × cores × threads would be \(total), more than max_num_of_vcpus (\(maximum))")
        }
        edit(cpu.sockets, "\(sockets)", "OVF rasd:num_of_sockets")
        edit(cpu.cores, "\(cores)", "OVF rasd:cpu_per_socket")
        edit(cpu.threads, "\(threads)", "OVF rasd:threads_per_cpu")
        edit(cpu.quantity, "\(total)", "OVF CPU rasd:VirtualQuantity")
        edit(cpu.caption, Self.replacingNumber(0, in: cpu.caption?.value, with: total), "OVF CPU rasd:Caption")
        edit(hardwareInfo, Self.replacingNumber(0, in: hardwareInfo?.value, with: total), "OVF VirtualHardwareSection Info")
        guard let engine else { return }
        // libvirt's topology describes the most vCPUs the VM may have: sockets × cores × threads
        // equals <vcpu>'s maximum, and `current` is what runs now.
        if let maximum = engine.vcpuMax.flatMap({ Int($0.value) }) {
            guard total <= maximum else {
                throw rule(
                    key, value, "sockets × cores × threads would be \(total), more than the embedded XML's maximum of \(maximum) vCPUs")
            }
            guard maximum % (cores * threads) == 0 else {
                throw rule(
                    key, value,
                    "the embedded XML's maximum of \(maximum) vCPUs is not a whole number of sockets of \(cores * threads) vCPUs")
            }
            edit(engine.sockets, "\(maximum / (cores * threads))", "EngineXml <topology sockets>")
        }
        edit(engine.vcpuCurrent, "\(total)", "EngineXml <vcpu current>")
        edit(engine.cores, "\(cores)", "EngineXml <topology cores>")
        edit(engine.threads, "\(threads)", "EngineXml <topology threads>")
        if let cell = try singleCell(engine, key, value), let cpus = cell.cpus {
            let list =
                cpus.value.contains("-") && !cpus.value.contains(",")
                ? (total == 1 ? "0" : "0-\(total - 1)")
                : (0..<total).map(String.init).joined(separator: ",")
            edit(cpus, list, "EngineXml <numa cell cpus>")
        }
    }

    private func setNic(_ nic: Nic, _ property: VmKey.NicProperty, _ value: String, force: Bool, _ edit: (Field?, String, String) -> Void)
        throws
    {
        let key = VmKey.nic(name: nic.name, property: property)
        let interface = interface(for: nic).map { engine!.interfaces[$0] }
        if engine != nil, !(engine?.interfaces.isEmpty ?? true), interface == nil {
            throw HostedEngineError.ovfInvalid(
                name: name, problem: .noMatchingInterface(nic.name))
        }
        switch property {
        case .mac:
            let mac = value.lowercased()
            let pairs = mac.split(separator: ":", omittingEmptySubsequences: false)
            guard pairs.count == 6, pairs.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) else {
                throw rule(key, value, "expected a MAC address as six hex pairs, like 00:16:3e:6a:7a:f9")
            }
            if let other = nics.first(where: { $0.name != nic.name && $0.mac?.value.lowercased() == mac }) {
                throw rule(key, value, "\(other.name) already has that MAC address")
            }
            edit(nic.mac, mac, "OVF rasd:MACAddress")
            edit(interface?.mac, mac, "EngineXml <interface mac address>")
            // The device properties tied to this NIC by either of its old addresses (an OVF and
            // its embedded XML can disagree before the change).
            let old = Set([nic.mac?.value.lowercased(), interface?.mac?.value.lowercased()].compactMap { $0 })
            for device in engine?.deviceMacs ?? [] where old.contains(device.value.lowercased()) {
                edit(device, mac, "EngineXml <ovirt-vm:device mac_address>")
            }
        case .network:
            let allowed = value.utf8.allSatisfy {
                ValueRule.isLetter($0) || ValueRule.isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: ".")
            }
            guard !value.isEmpty, value.utf8.count <= 256, allowed else {
                throw rule(key, value, "expected a network name of letters, digits, '_', '-' and '.'")
            }
            guard force || networks.contains(value) else {
                let known = networks.isEmpty ? "it lists none" : "it lists \(networks.joined(separator: ", "))"
                throw rule(key, value, "the OVF's NetworkSection does not list that network (\(known)); pass --force if it exists")
            }
            edit(nic.connection, value, "OVF rasd:Connection")
            edit(nic.otherResourceType, value, "OVF rasd:OtherResourceType")
            if let caption = nic.caption, let old = nic.connection?.value, caption.value.hasSuffix(" on \(old)") {
                edit(caption, String(caption.value.dropLast(old.count)) + value, "OVF NIC rasd:Caption")
            }
            edit(interface?.bridge, value, "EngineXml <interface source bridge>")
        case .model:
            guard let model = NicModel.named(value) else {
                throw rule(
                    key, value, "expected one of oVirt's NIC models: \(NicModel.all.map(\.name).joined(separator: ", ")) (virtio is pv)")
            }
            edit(nic.subType, "\(model.number)", "OVF rasd:ResourceSubType")
            edit(interface?.model, model.libvirtName, "EngineXml <interface model type>")
        case .linked:
            guard value == "true" || value == "false" else { throw rule(key, value, "expected true or false") }
            edit(nic.linked, value, "OVF rasd:Linked")
            edit(interface?.link, value == "true" ? "up" : "down", "EngineXml <interface link state>")
        }
    }

    /// The NUMA cell to keep in step, if any; several cells are refused rather than guessed at.
    private func singleCell(_ engine: EngineXml, _ key: VmKey, _ value: String) throws -> NumaCell? {
        guard engine.cells.count <= 1 else {
            throw rule(key, value, "the embedded XML has \(engine.cells.count) NUMA cells; change this in the engine")
        }
        return engine.cells.first
    }

    private func positive(_ value: String, _ key: VmKey) throws -> Int {
        guard value.utf8.count <= 9, value.utf8.allSatisfy(ValueRule.isDigit), let number = Int(value), number > 0 else {
            throw rule(key, value, "expected a positive whole number")
        }
        return number
    }

    /// A memory size in MiB: plain MiB, as the OVF states it, or with a unit (`24576M`,
    /// `24576MiB`, `24G`, `24GiB`, `1T`; MB and GB are taken as oVirt's, binary).
    func mebibytes(_ value: String, _ key: VmKey) throws -> Int {
        let digits = String(value.prefix { $0.isASCII && $0.isNumber })
        let unit = value.dropFirst(digits.count).uppercased()
        let factor: Int? =
            switch unit {
            case "", "M", "MB", "MIB": 1
            case "G", "GB", "GIB": 1024
            case "T", "TB", "TIB": 1024 * 1024
            default: nil
            }
        guard let factor, !digits.isEmpty, digits.utf8.count <= 9, let number = Int(digits), number > 0, number <= Int(Int32.max) / factor
        else {
            throw rule(key, value, "expected a size in MiB (16384), or with a unit: 16384M, 16G, 1T")
        }
        return number * factor
    }

    private func rule(_ key: VmKey, _ value: String, _ why: String) -> HostedEngineError {
        .invalidValue(key: key.description, value: value, rule: why)
    }

    /// `text` with its `index`th run of digits replaced by `number`; the text as it was when it
    /// has no such run (a caption worded differently is left alone).
    static func replacingNumber(_ index: Int, in text: String?, with number: Int) -> String {
        guard let text else { return "" }
        var runs: [Range<String.Index>] = []
        var position = text.startIndex
        while position < text.endIndex {
            guard text[position].isASCII, text[position].isNumber else {
                position = text.index(after: position)
                continue
            }
            let start = position
            while position < text.endIndex, text[position].isASCII, text[position].isNumber { position = text.index(after: position) }
            runs.append(start..<position)
        }
        guard index < runs.count else { return text }
        var result = text
        result.replaceSubrange(runs[index], with: String(number))
        return result
    }

    static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.lowercased().utf8)
        let lowered = bytes.map { (65...90).contains($0) ? $0 + 32 : $0 }
        return XmlScanner(bytes: lowered).find(needle, in: 0..<lowered.count) != nil
    }
}
