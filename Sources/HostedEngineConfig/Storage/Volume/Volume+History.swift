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
            if historySidecar < 0 {
                guard let descriptor = try openSidecar(sidecarPath, flags: O_RDONLY) else { return nil }
                historySidecar = descriptor
            }
            return try Self.read(historySidecar, count: count, at: offset, limit: Int64.max, direct: false, path: sidecarPath)
        }
    }

    /// Writes a slot and waits until it is on the storage. Not counted towards a test's crash
    /// point: the crash tests cut the journal and the archive; a slot cut short fails its
    /// checksums (HistoryTests).
    func writeHistory(_ bytes: [UInt8], at offset: Int64) throws {
        try requireLease()
        switch historyLocation {
        case .none:
            return
        case .inVolume:
            try Self.write(bytes, to: descriptor, at: offset, path: path)
            try synchronize()
        case let .sidecar(sidecarPath):
            if historySidecar < 0 || !historySidecarWritable {
                guard let opened = try openSidecar(sidecarPath, flags: O_RDWR, createMode: 0o660) else {
                    throw HostedEngineError.io(path: sidecarPath, operation: "open the shared history", errno: ENOENT)
                }
                if historySidecar >= 0 { close(historySidecar) }
                historySidecar = opened
                historySidecarWritable = true
            }
            try Self.write(bytes, to: historySidecar, at: offset, path: sidecarPath)
            try Self.synchronize(historySidecar, path: sidecarPath)
            let folder = LocalFile.parent(of: sidecarPath)
            let code = try Self.perform(as: identity) { () -> Int32 in
                do throws(LocalFile.Failure) {
                    try LocalFile.syncDirectory(folder)
                    return 0
                } catch {
                    return error.errno
                }
            }
            if code != 0 { throw HostedEngineError.io(path: folder, operation: "flush the folder of the shared history", errno: code) }
        }
    }
}
