import Glibc

extension Volume {
    /// Volumes this large keep their journal in their last blocks; smaller file volumes (the
    /// 20480-byte files upstream's dd leaves) in a file beside them.
    static let minimumSizeForInVolumeJournal: Int64 = 1 << 20

    /// The lease lives at 8 MiB (aligned for every sector size sanlock supports: its area is
    /// 1 MiB with 512-byte sectors, up to 8 MiB with 4 KiB ones) in volumes of 64 MiB or more;
    /// oVirt reads only the first 20480 bytes, and the journal stays in the last blocks.
    public static let leaseOffset: Int64 = 8 << 20
    static let minimumSizeForInVolumeLease: Int64 = 64 << 20

    public var leaseLocation: LeaseLocation {
        if size >= Self.minimumSizeForInVolumeLease { return .inVolume(path: resolvedPath, offset: Self.leaseOffset) }
        return kind == .regularFile ? .sidecar(path: placement.sidecar(".hosted-engine-lease")) : .none
    }

    var journalLocation: JournalLocation {
        if size >= Self.minimumSizeForInVolumeJournal {
            return .inVolume(headerOffset: size.roundedDown(toMultipleOf: 4096) - 4096)
        }
        return kind == .regularFile ? .sidecar(path: placement.sidecar(".hosted-engine-journal")) : .none
    }

    /// Reads the journal area; nil when the volume has none (no sidecar file yet).
    func readJournal(count: Int, at offset: Int64) throws -> [UInt8]? {
        switch journalLocation {
        case .none:
            return nil
        case .inVolume:
            return try read(count: count, at: offset)
        case let .sidecar(sidecarPath):
            return try readSidecar(sidecarPath, slot: &sidecar, count: count, at: offset)
        }
    }

    func writeJournal(_ bytes: [UInt8], at offset: Int64) throws {
        switch journalLocation {
        case .none:
            throw HostedEngineError.volumeUnusable(path: path, problem: .blockDeviceTooSmallForJournal)
        case .inVolume:
            try write(bytes, at: offset)
        case let .sidecar(sidecarPath):
            let descriptor = try writableSidecar(sidecarPath)
            try counted(bytes) { part in
                try Self.write(part, to: descriptor, at: offset, path: sidecarPath)
            } partial: { part in
                try Self.write(part, to: descriptor, at: offset, path: sidecarPath)
                try Self.synchronize(descriptor, path: sidecarPath)
            }
        }
    }

    func synchronizeJournal() throws {
        switch journalLocation {
        case .none: return
        case .inVolume: try synchronize()
        case let .sidecar(sidecarPath):
            try Self.synchronize(try writableSidecar(sidecarPath), path: sidecarPath)
            // The journal file's own entry in its folder.
            try synchronizeSidecarFolder(of: sidecarPath, what: "the write journal")
        }
    }

    private func writableSidecar(_ sidecarPath: String) throws -> Int32 {
        try writableSidecar(sidecarPath, slot: &sidecar, writable: &sidecarWritable, what: "the write journal")
    }
}
