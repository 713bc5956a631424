extension OvfDocument {
    /// Every place a vm key writes, in document order, for comparing two versions of one OVF.
    var editablePlaces: [(label: String, field: Field)] {
        var places: [(String, Field?)] = [
            ("MinAllocatedMem", minAllocatedMem), ("VirtualHardwareSection Info", hardwareInfo),
            ("CPU rasd:Caption", cpu.caption), ("rasd:num_of_sockets", cpu.sockets), ("rasd:cpu_per_socket", cpu.cores),
            ("rasd:threads_per_cpu", cpu.threads), ("CPU rasd:VirtualQuantity", cpu.quantity),
            ("memory rasd:Caption", memory.caption), ("memory rasd:VirtualQuantity", memory.quantity),
        ]
        for nic in nics {
            places += [
                ("\(nic.name) rasd:Caption", nic.caption), ("\(nic.name) rasd:MACAddress", nic.mac),
                ("\(nic.name) rasd:Connection", nic.connection), ("\(nic.name) rasd:OtherResourceType", nic.otherResourceType),
                ("\(nic.name) rasd:ResourceSubType", nic.subType), ("\(nic.name) rasd:Linked", nic.linked),
            ]
        }
        if let engine {
            places += [
                ("EngineXml <memory>", engine.memory), ("EngineXml <currentMemory>", engine.currentMemory),
                ("EngineXml <vcpu current>", engine.vcpuCurrent), ("EngineXml <topology sockets>", engine.sockets),
                ("EngineXml <topology cores>", engine.cores), ("EngineXml <topology threads>", engine.threads),
                ("EngineXml <minGuaranteedMemoryMb>", engine.minGuaranteed),
            ]
            for cell in engine.cells {
                places += [("EngineXml <numa cell cpus>", cell.cpus), ("EngineXml <numa cell memory>", cell.memory)]
            }
            for interface in engine.interfaces {
                places += [
                    ("EngineXml <interface mac address>", interface.mac), ("EngineXml <interface source bridge>", interface.bridge),
                    ("EngineXml <interface model type>", interface.model), ("EngineXml <interface link state>", interface.link),
                ]
            }
            places += engine.deviceMacs.map { ("EngineXml <ovirt-vm:device mac_address>", $0) }
        }
        return places.compactMap { label, field in field.map { (label, $0) } }.sorted { $0.1.range.lowerBound < $1.1.range.lowerBound }
    }

    /// The document with every editable place blanked: two versions of one OVF that differ only
    /// in what vm keys may change have the same skeleton.
    var skeleton: [UInt8] {
        var bytes = self.bytes
        for place in editablePlaces.reversed() { bytes.replaceSubrange(place.field.range, with: [0]) }
        return bytes
    }

    /// This (base) OVF with the vm keys set as `working` states them. See `OvfReconciliation`.
    public func reconciled(with working: [UInt8], force: Bool) -> OvfReconciliation {
        guard working != bytes else { return OvfReconciliation(bytes: bytes, changes: [], problems: []) }
        let edited: OvfDocument
        do {
            edited = try OvfDocument(bytes: working, name: name)
        } catch {
            return OvfReconciliation(bytes: bytes, changes: [], problems: ["\(error)"])
        }
        var problems: [String] = []
        var changes: [(key: VmKey, old: String, new: String)] = []
        var current = self
        for (key, old) in allValues() {
            guard let new = try? edited.value(of: key), new != old else { continue }
            do {
                if let change = try current.setting(key, to: new, force: force) {
                    current = try OvfDocument(bytes: change.bytes, name: name)
                }
                changes.append((key, old, new))
            } catch {
                problems.append("\(error)")
            }
        }
        guard edited.skeleton == current.skeleton else {
            let (mine, theirs) = (edited.skeleton, current.skeleton)
            let first = mine.indices.first { $0 >= theirs.count || mine[$0] != theirs[$0] } ?? mine.count
            problems.append(
                "\(name) changed outside the values vm keys may change (first at byte \(first) of the OVF with those values blanked); only \((VmKey.fixedNames + VmKey.nicPatterns).joined(separator: ", ")) can be changed"
            )
            return OvfReconciliation(bytes: bytes, changes: changes, problems: problems)
        }
        // A place that restates a key and was edited to something else than the key says.
        let base = editablePlaces
        let mine = edited.editablePlaces
        let result = current.editablePlaces
        for index in mine.indices
        where mine[index].field.value != base[index].field.value && mine[index].field.value != result[index].field.value {
            problems.append(
                "\(mine[index].label) says '\(mine[index].field.value)', which disagrees with the key it restates ('\(result[index].field.value)'); edit the rasd value (or MinAllocatedMem) and leave the rest to this tool"
            )
        }
        return OvfReconciliation(bytes: current.bytes, changes: changes, problems: problems)
    }
}
