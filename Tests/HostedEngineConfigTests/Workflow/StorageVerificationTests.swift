import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// The library's verification without the command line: what it finds on a volume named by
/// path, with this host's file and no OVF_STORE.
@Suite struct StorageVerificationTests {
    @Test func reportsTheArchiveTheLocalDifferencesAndTheMissingOvfStores() throws {
        let directory = try TemporaryDirectory("verification")
        let members = try Fixtures.configMembers()
        let archive = try UpstreamStorage.editorArchive(members, in: directory)
        let volume = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: archive, size: 1 << 20)
        var local = String(decoding: try #require(members.first { $0.name == "hosted-engine.conf" }).bytes, as: UTF8.self)
        local = local.replacingOccurrences(of: "host_id=1", with: "host_id=3") + "\ngateway=192.0.2.254\n"
        let conf = try directory.write("hosted-engine.conf", local)
        let locator = VolumeLocator(volume: volume, hostedEngineConf: conf, storageRoot: directory.file("no-storage"))

        let report = StorageVerification(locator: locator).run()
        let checked = try #require(report.configurationVolume)
        #expect(checked.path == volume)
        #expect(checked.origin == "from --volume")
        #expect(checked.journal?.state == .clean(lastWrite: nil))
        #expect(checked.archive?.members.map(\.name) == ConfigArchive.memberNames)
        #expect(checked.archive?.checksum == Checksum(of: archive))
        #expect(checked.facts?.readableByVdsm == true)
        let differences = try #require(report.hostedEngineConf?.differences)
        #expect(differences.map(\.key) == ["host_id", "gateway"])
        #expect(differences.map(\.isExpected) == [true, false])
        // No OVF_STORE under the storage root, and gateway differs: two problems.
        #expect(report.problems.count == 2, "\(report.problems)")
        #expect(report.problems.contains { $0.hasPrefix("OVF_STORE: No OVF_STORE found") })
        #expect(report.problems.contains { $0.contains("differ on gateway: '192.0.2.254' here, '192.0.2.1' on the volume") })
        #expect(report.text.hasSuffix("  - " + report.problems.last!))
        #expect(report.json.description.hasPrefix("{\"ok\":false,"))
    }

    @Test func anArchivePastOneRecordIsAProblemEvenThoughItReads() throws {
        let directory = try TemporaryDirectory("verification-large")
        var members = try Fixtures.configMembers()
        members[1].bytes += [UInt8](repeating: UInt8(ascii: "#"), count: 30000)
        let archive = try UpstreamStorage.editorArchive(members, in: directory)
        let volume = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: archive, size: 1 << 20)
        let report = StorageVerification(locator: VolumeLocator(volume: volume, hostedEngineConf: directory.file("none"))).run()
        #expect((report.configurationVolume?.archive?.storedBytes ?? 0) > 20480)
        #expect(report.problems.contains { $0.contains("past the 20480 that hosts and older engines read") }, "\(report.problems)")
    }
}
