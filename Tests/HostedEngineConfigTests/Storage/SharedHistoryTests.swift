import Foundation
import TestSupport
import Testing

@testable import HostedEngineConfig

/// The shared history on the volume: every write keeps its version, bounded, crash-safe, and
/// what is read back from the storage is checked before it is believed.
@Suite struct SharedHistoryTests {
    func storage(_ directory: TemporaryDirectory, size: Int64 = 1 << 30) throws -> (path: String, locator: VolumeLocator) {
        let tar = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
        let path = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: tar, size: size)
        return (path, VolumeLocator(volume: path))
    }

    func options(_ directory: TemporaryDirectory, command: String = "--set-shared-config KEY", hostId: UInt64? = 2)
        -> SharedConfig.WriteOptions
    {
        var options = directory.options()
        options.command = command
        options.hostId = hostId
        return options
    }

    @Test func everyWriteKeepsItsVersionWithWhoAndWhatAndLeavesOVirtsBytesAlone() throws {
        let directory = try TemporaryDirectory("history-writes")
        let (path, locator) = try storage(directory)
        let original = try Files.readPrefix(path, count: 20480)
        let config = SharedConfig()
        _ = try config.set(
            key: "smtp-server", value: "mail.example.com", type: nil, locator: locator,
            options: options(directory, command: "--set-shared-config smtp-server"))
        _ = try config.set(
            key: "network_test", value: "dns", type: "he_shared", locator: locator,
            options: options(directory, command: "--set-shared-config network_test"))
        let listing = try HistoryBrowser().listing(locator: locator)
        #expect(listing.location == .inVolume(offset: 32 << 20))
        #expect(listing.versions.map(\.id) == ["v3", "v2", "v1"])
        #expect(listing.current == 3)
        let (found, set1, set2) = (listing.versions[2], listing.versions[1], listing.versions[0])
        #expect(found.command == HistoryRecorder.foundCommand && found.keys.isEmpty && found.hostId == nil)
        #expect(found.checksum == Checksum(of: original))
        #expect(set1.keys == ["broker:smtp-server"] && set1.hostId == 2 && set1.command == "--set-shared-config smtp-server")
        #expect(set1.base == found.checksum && set2.base == set1.checksum)
        #expect(set2.keys == ["he_shared:network_test"])
        #expect(!set1.hostname.isEmpty && !set1.user.isEmpty)
        // v3 holds what the volume holds, byte for byte; nothing between the archive and the lease was touched.
        let (_, archive) = try HistoryBrowser().version("v3", locator: locator)
        #expect(archive.bytes == (try Files.readPrefix(path, count: 20480)))
        let volume = try Volume(path: path, forWriting: false)
        #expect(try volume.read(count: (8 << 20) - 20480, at: 20480).allSatisfy { $0 == 0 })
    }

    @Test func theOldestVersionIsDroppedFirst() throws {
        let directory = try TemporaryDirectory("history-ring")
        let (_, locator) = try storage(directory, size: 20480)
        let config = SharedConfig()
        for port in 0..<(SharedHistory.slotCount + 5) {
            _ = try config.set(key: "smtp-port", value: "\(1000 + port)", type: nil, locator: locator, options: options(directory))
        }
        let listing = try HistoryBrowser().listing(locator: locator)
        if case .sidecar(let path) = listing.location {
            #expect(path.hasSuffix("/volume.hosted-engine-history"))
        } else {
            Issue.record("a 20480-byte file volume keeps its history beside it: \(listing.location)")
        }
        // 70 versions written (the one found first, then 69 sets): the last 64 kept.
        #expect(listing.versions.count == SharedHistory.slotCount)
        #expect(listing.versions.first?.id == "v70" && listing.versions.last?.id == "v7")
        #expect(listing.current == 70)
    }

    @Test func aSlotCutShortIsPassedOverAndTheRestStay() throws {
        let directory = try TemporaryDirectory("history-torn")
        let (path, locator) = try storage(directory)
        let config = SharedConfig()
        _ = try config.set(key: "smtp-port", value: "2525", type: nil, locator: locator, options: options(directory))
        _ = try config.set(key: "smtp-port", value: "2526", type: nil, locator: locator, options: options(directory))
        // A byte of v3's archive, as a write cut short would leave it.
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let slotOfV3: UInt64 = (32 << 20) + 3 * (1 << 20)
        try handle.seek(toOffset: slotOfV3 + 4096 + 100)
        try handle.write(contentsOf: [UInt8(0x55)])
        try handle.close()
        let listing = try HistoryBrowser().listing(locator: locator)
        #expect(listing.versions.map(\.id) == ["v2", "v1"])
        #expect(listing.damagedSlots == 1)
        #expect(throws: HostedEngineError.versionNotFound("v3", newest: "v2", oldest: "v1")) {
            try HistoryBrowser().version("v3", locator: locator)
        }
        _ = try config.set(key: "smtp-port", value: "2527", type: nil, locator: locator, options: options(directory))
        #expect(try HistoryBrowser().listing(locator: locator).versions.first?.id == "v4")
    }

    /// Sets smtp-port to 2525 through the configuration's compare-and-swap, the process dying
    /// after `bytes` bytes of the journal and the archive have reached the volume.
    func setPortCrashing(afterBytes bytes: Int64, path: String, directory: TemporaryDirectory) throws {
        let config = SharedConfig()
        let base = try ConfigArchive(reading: try Volume(path: path, forWriting: false))
        let changed = try #require(
            try config.archive(base, setting: try config.resolve(key: "smtp-port", type: nil), to: "2525", options: options(directory)))
        let volume = try Volume(
            path: path, forWriting: true, settings: .init(crashPoint: CrashPoint(afterBytes: bytes, action: .throwError)))
        #expect(throws: SimulatedCrash.self) {
            try CompareAndSwap.configuration(volume: volume, options: options(directory), schema: .standard)
                .replace(base: base, with: changed)
        }
    }

    @Test func aVersionWhoseWriteNeverLandedIsNotShownAndIsReplaced() throws {
        let directory = try TemporaryDirectory("history-not-landed")
        let (path, locator) = try storage(directory)
        let config = SharedConfig()
        // The process dies at the journal's first byte: the history has the version, the volume not.
        try setPortCrashing(afterBytes: 0, path: path, directory: directory)
        let listing = try HistoryBrowser().listing(locator: locator)
        #expect(listing.notCompleted?.id == "v2")
        #expect(listing.versions.map(\.id) == ["v1"] && listing.current == 1)
        _ = try config.set(key: "smtp-server", value: "mail.example.com", type: nil, locator: locator, options: options(directory))
        let after = try HistoryBrowser().listing(locator: locator)
        #expect(after.versions.map(\.id) == ["v2", "v1"] && after.notCompleted == nil)
        #expect(after.versions[0].keys == ["broker:smtp-server"])
    }

    /// A crash after the journal record: the version is pending, not cut short, and the next
    /// read lands it.
    @Test func aVersionPendingInTheJournalIsTheOneReadersRead() throws {
        let directory = try TemporaryDirectory("history-pending")
        let (path, locator) = try storage(directory)
        let config = SharedConfig()
        // The journal: the new and the old archive and its header block, then the crash.
        try setPortCrashing(afterBytes: 2 * 20480 + 4096, path: path, directory: directory)
        let listing = try HistoryBrowser().listing(locator: locator)
        #expect(listing.pending == 2 && listing.current == 2 && listing.notCompleted == nil)
        #expect(listing.versions.map(\.id) == ["v2", "v1"])
        #expect(try config.get(key: "smtp-port", type: nil, locator: locator).value == "2525")
        let after = try HistoryBrowser().listing(locator: locator)
        #expect(after.pending == nil && after.current == 2)
    }

    @Test func anotherToolsWriteIsRecordedAsFoundBeforeTheNextVersion() throws {
        let directory = try TemporaryDirectory("history-foreign")
        let (path, locator) = try storage(directory)
        let config = SharedConfig()
        _ = try config.set(key: "smtp-port", value: "2525", type: nil, locator: locator, options: options(directory))
        // Upstream's tool writes in place, without a word to the history.
        let current = try ConfigArchive(reading: try Volume(path: path, forWriting: false))
        let theirs = try #require(
            try config.archive(
                current, setting: try config.resolve(key: "smtp-server", type: nil), to: "up.example.com", options: options(directory)))
        let raw = try Volume(path: path, forWriting: true)
        try raw.write(theirs, at: 0)
        try raw.synchronize()
        #expect(try HistoryBrowser().listing(locator: locator).current == nil)
        _ = try config.set(key: "smtp-port", value: "2526", type: nil, locator: locator, options: options(directory))
        let listing = try HistoryBrowser().listing(locator: locator)
        #expect(listing.versions.map(\.id) == ["v4", "v3", "v2", "v1"])
        #expect(listing.versions[1].command == HistoryRecorder.foundCommand && listing.versions[1].checksum == Checksum(of: theirs))
        #expect(listing.versions[0].keys == ["broker:smtp-port"])
    }

    @Test func headersReadFromTheStorageAreCheckedEscapedAndBounded() throws {
        func header(_ json: String) -> [UInt8] {
            var bytes = HistoryEntry.magic + Array(json.utf8) + Array("\n".utf8)
            bytes += Array("check=\(Checksum(of: bytes).hex)\n".utf8)
            return bytes + [UInt8](repeating: 0, count: HistoryEntry.headerSize - bytes.count)
        }
        let sum = String(repeating: "ab", count: 32)
        let long = String(repeating: "x", count: 3000)
        let hostile = header(
            #"{"sequence":5,"time":1,"hostname":"h\u001b[31mred","user":"u\u202eevil","command":"\#(long)","keys":["k\nl"],"checksum":"\#(sum)","length":10}"#
        )
        let entry = try #require(HistoryEntry(header: hostile))
        let line = entry.line(current: false)
        #expect(!line.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0 == "\n" })
        #expect(entry.command.count <= HistoryEntry.textLimit + 1)
        // A header that does not check, claims too much, or is not JSON is no version.
        var broken = hostile
        broken[40] ^= 1
        #expect(HistoryEntry(header: broken) == nil)
        #expect(
            HistoryEntry(
                header: header(
                    #"{"sequence":5,"time":1,"hostname":"","user":"","command":"","keys":[],"checksum":"\#(sum)","length":99999999}"#))
                == nil)
        #expect(HistoryEntry(header: header("[1,2]")) == nil)
        // Numbers no arithmetic could take: refused, not trapped on.
        for (sequence, time) in [("18446744073709551615", "1"), ("-3", "1"), ("5", "-1"), ("5", "99999999999999999")] {
            #expect(
                HistoryEntry(
                    header: header(
                        #"{"sequence":\#(sequence),"time":\#(time),"hostname":"","user":"","command":"","keys":[],"checksum":"\#(sum)","length":1}"#
                    )) == nil, "\(sequence) \(time)")
        }
        #expect(
            HistoryEntry(
                header: header(#"{"sequence":0,"time":1,"hostname":"","user":"","command":"","keys":[],"checksum":"\#(sum)","length":1}"#))
                == nil)
    }

    @Test func oneKeyIsRestoredFromAVersionAndLaterChangesStay() throws {
        let directory = try TemporaryDirectory("history-one-key")
        let (_, locator) = try storage(directory)
        let config = SharedConfig()
        _ = try config.set(key: "smtp-port", value: "2525", type: nil, locator: locator, options: options(directory))
        _ = try config.set(key: "smtp-port", value: "587", type: nil, locator: locator, options: options(directory))
        _ = try config.set(key: "smtp-server", value: "mail.example.com", type: nil, locator: locator, options: options(directory))
        #expect(
            try HistoryBrowser().restoreKey("smtp-port", type: nil, from: "v2", locator: locator, options: options(directory)) != .unchanged
        )
        #expect(try config.get(key: "smtp-port", type: nil, locator: locator).value == "2525")
        #expect(try config.get(key: "smtp-server", type: nil, locator: locator).value == "mail.example.com")
        #expect(throws: HostedEngineError.keyNotInVersion(key: "network_test", version: "v1", file: "hosted-engine.conf")) {
            try HistoryBrowser().restoreKey("network_test", type: "he_shared", from: "v1", locator: locator, options: options(directory))
        }
    }
}
