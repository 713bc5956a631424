import Glibc

extension Volume {
    /// Where the shared history lives (see `SharedHistory`): none on a block device too small
    /// to hold it beside the lease and the journal.
    var historyLocation: SharedHistory.Location {
        if size >= SharedHistory.minimumSizeInVolume { return .inVolume(offset: SharedHistory.areaOffset) }
        return kind == .regularFile ? .sidecar(path: placement.sidecar(".hosted-engine-history")) : .none
    }

    /// Reads the history's area; nil when there is none (no file beside the volume yet).
    func readHistory(count: Int, at offset: Int64) throws -> [UInt8]? {
        switch historyLocation {
        case .none:
            return nil
        case .inVolume:
            return try read(count: count, at: offset)
        case let .sidecar(sidecarPath):
            return try readSidecar(sidecarPath, slot: &historySidecar, count: count, at: offset)
        }
    }

    /// Writes a slot and waits until it is on the storage. Not counted towards a test's crash
    /// point: the crash tests cut the journal and the archive; a slot cut short fails its
    /// checksums (SharedHistoryTests).
    func writeHistory(_ bytes: [UInt8], at offset: Int64) throws {
        try requireLease()
        switch historyLocation {
        case .none:
            return
        case .inVolume:
            try Self.write(bytes, to: descriptor, at: offset, path: path)
            try synchronize()
        case let .sidecar(sidecarPath):
            let descriptor = try writableSidecar(
                sidecarPath, slot: &historySidecar, writable: &historySidecarWritable, what: "the shared history")
            try Self.write(bytes, to: descriptor, at: offset, path: sidecarPath)
            try Self.synchronize(descriptor, path: sidecarPath)
            try synchronizeSidecarFolder(of: sidecarPath, what: "the shared history")
        }
    }
}
