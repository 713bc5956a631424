import Foundation
import TestSupport
import Testing

/// `--verify-storage`: what good storage holds, each kind of damage it detects, and that it
/// writes nothing either way.
@Suite struct VerifyStorageTests {
    /// Ways storage goes bad, each with what the report must say.
    enum Damage: String, CaseIterable, Sendable {
        case zeroedArchive, missingMember, archivePastOneRecord, brokerUnreadable, interruptedWrite, finishedWriteStillPending
        case unreadableByVdsm, ovfStoreWithoutEngineOvf, ovfStoreCopiesDisagree, ovfStoreGarbage, localConfDiffers

        var expected: String {
            switch self {
            case .zeroedArchive: return "is empty (the first block is zeros)"
            case .missingMember: return "it lacks vm.conf"
            case .archivePastOneRecord: return "past the 20480 that hosts and older engines read"
            case .brokerUnreadable: return "broker.conf:"
            case .interruptedWrite: return "was interrupted (a crash, or a lost host) and its journal record is pending"
            case .finishedWriteStillPending: return "reached the volume but its journal record is still pending"
            case .unreadableByVdsm: return "as vdsm, which cannot read it (owner 0:0, mode 0600)"
            case .ovfStoreWithoutEngineOvf: return "holds no \(VmConfigTests.vmid).ovf"
            case .ovfStoreCopiesDisagree: return "The OVF_STORE copies disagree on the engine VM's OVF"
            case .ovfStoreGarbage: return "the OVF_STORE is empty (the first block is zeros)"
            case .localConfDiffers: return "differ on gateway: '192.0.2.254' here, '192.0.2.1' on the volume"
            }
        }
    }

    @Test func goodStorageHasNoProblemsAndIsLeftAsItWas() throws {
        let setup = try VmConfigTests.Setup("verify-good")
        // host_id is each host's own: a difference there is no problem.
        try Self.replaceLine(in: setup.storage.hostedEngineConf, prefix: "host_id=", with: "host_id=2")
        let before = try Self.snapshot(setup.storage.root)
        let verified = try setup.run(["--verify-storage"])
        #expect(verified.status == 0, "\(verified)")
        #expect(verified.stdout.hasSuffix("No problems found.\n"), "\(verified)")
        #expect(verified.stdout.contains("  archive: 20480 bytes in one 20480-byte record, sha256:"))
        #expect(verified.stdout.contains("  journal: the volume's last 4 KiB; clean (no write by this tool yet)"))
        #expect(verified.stdout.contains("  host_id: '2' here, '1' on the volume (each host has its own)"), "\(verified)")
        #expect(verified.stdout.contains("The copies agree on the engine VM's OVF (sha256:"))
        #expect(verified.stderr.isEmpty, "\(verified)")
        for name in ["version", "fhanswers.conf", "hosted-engine.conf", "broker.conf", "vm.conf"] {
            #expect(verified.stdout.contains("\n    \(name) "), "\(name)")
        }

        let json = try setup.run(["--verify-storage", "--json"])
        #expect(json.status == 0, "\(json)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: Any])
        #expect(report["ok"] as? Bool == true)
        #expect((report["problems"] as? [Any])?.isEmpty == true)
        let volume = try #require(report["configurationVolume"] as? [String: Any])
        #expect(volume["path"] as? String == setup.storage.volumeLink)
        let archive = try #require(volume["archive"] as? [String: Any])
        #expect(archive["recordSize"] as? Int == 20480)
        let members = try #require(archive["members"] as? [[String: Any]])
        #expect(
            members.compactMap { $0["name"] as? String } == ["version", "fhanswers.conf", "hosted-engine.conf", "broker.conf", "vm.conf"])
        let stores = try #require(report["ovfStores"] as? [[String: Any]])
        // Newest first: make-demo-storage updates the second copy later.
        #expect(stores.compactMap { $0["path"] as? String } == setup.stores.reversed())
        #expect(stores.map { $0["newest"] as? Bool } == [true, false])
        #expect(stores.allSatisfy { ($0["archive"] as? [String: Any])?["recordSize"] as? Int == 10240 })
        #expect(report["ovfStoresAgree"] as? Bool == true)
        #expect(try Self.snapshot(setup.storage.root) == before, "verify-storage wrote nothing")
    }

    /// Storage as vdsm leaves it (vdsm:kvm, 0660) reads as vdsm's.
    @Test func vdsmOwnedStorageIsReadableByTheAgents() throws {
        let directory = try TemporaryDirectory("verify-vdsm")
        #expect(chmod(directory.path, 0o755) == 0)
        let storage = try UpstreamStorage.makeStorage(in: directory, arguments: ["--size", "4M", "--vdsm-owned"])
        let verified = try Tool.run(["--verify-storage", "--json"], environment: Tool.environment(for: storage))
        #expect(verified.status == 0, "\(verified)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(verified.stdoutBytes)) as? [String: Any])
        let volume = try #require(report["configurationVolume"] as? [String: Any])
        #expect(volume["mode"] as? String == "0660")
        #expect(volume["readableByVdsm"] as? Bool == true)
        if geteuid() == 0 { #expect(volume["uid"] as? Int == 36 && volume["gid"] as? Int == 36) }
    }

    @Test(arguments: Damage.allCases) func damageIsNamedAndNothingIsWritten(_ damage: Damage) throws {
        let setup = try VmConfigTests.Setup("verify-\(damage.rawValue)")
        try Self.apply(damage, to: setup)
        let before = try Self.snapshot(setup.storage.root)
        let verified = try setup.run(["--verify-storage"])
        #expect(verified.status == 1, "\(damage): \(verified)")
        #expect(verified.stdout.contains(damage.expected), "\(damage): \(verified)")
        #expect(verified.stdout.contains("problem"), "\(verified)")
        #expect(verified.stderr.hasPrefix("hosted-engine --verify-storage: "), "\(verified)")
        #expect(verified.stderr.split(separator: "\n").count == 1, "\(verified)")
        let json = try setup.run(["--verify-storage", "--json"])
        #expect(json.status == 1, "\(json)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: Any])
        #expect(report["ok"] as? Bool == false)
        let problems = try #require(report["problems"] as? [String])
        #expect(problems.contains { $0.contains(damage.expected) }, "\(damage): \(problems)")
        #expect(try Self.snapshot(setup.storage.root) == before, "\(damage): verify-storage wrote nothing")
    }

    /// The workflow after a crash: verify names the pending write, a read settles it, verify is clean.
    @Test func aReadSettlesWhatVerifyFoundAfterACrash() throws {
        let setup = try VmConfigTests.Setup("verify-settle")
        try Self.apply(.interruptedWrite, to: setup)
        #expect(try setup.run(["--verify-storage"]).status == 1)
        let read = try setup.run(["--get-shared-config", "smtp-server"])
        #expect(read.stdout == "smtp-server : crashed.example.com, type : broker\n", "\(read)")
        #expect(read.stderr.contains("was completed from its journal"), "\(read)")
        let again = try setup.run(["--verify-storage"])
        #expect(again.status == 0, "\(again)")
    }

    /// The copies disagree until the newest is written to both.
    @Test func disagreeingCopiesAgreeAfterUploadingTheNewest() throws {
        let setup = try VmConfigTests.Setup("verify-agree")
        try Self.apply(.ovfStoreCopiesDisagree, to: setup)
        let directory = setup.directory.file("ovf")
        #expect(try setup.run(["--download-ovf-store", directory]).status == 0)
        let uploaded = try setup.run(["--upload-ovf-store", directory, "--force"])
        #expect(uploaded.status == 0, "\(uploaded)")
        let verified = try setup.run(["--verify-storage"])
        #expect(verified.status == 0, "\(verified)")
    }

    static func apply(_ damage: Damage, to setup: VmConfigTests.Setup) throws {
        let volume = setup.storage.volume
        var members = try Fixtures.configMembers()
        func replaceArchive() throws {
            let archive = try UpstreamStorage.editorArchive(members, in: setup.directory)
            try Files.overwrite(volume, with: archive + [UInt8](repeating: 0, count: 40960))
        }
        switch damage {
        case .zeroedArchive:
            try Files.overwrite(volume, with: [UInt8](repeating: 0, count: 20480))
        case .missingMember:
            members.removeAll { $0.name == "vm.conf" }
            try replaceArchive()
        case .archivePastOneRecord:
            let index = try #require(members.firstIndex { $0.name == "fhanswers.conf" })
            members[index].bytes += Array(String(repeating: "# padding\n", count: 2000).utf8)
            try replaceArchive()
        case .brokerUnreadable:
            let index = try #require(members.firstIndex { $0.name == "broker.conf" })
            members[index].bytes += Array("[broken\n".utf8)
            try replaceArchive()
        case .interruptedWrite, .finishedWriteStillPending:
            // The journal is 2 x 20480 + 4096 bytes; then the archive in place (20480), then the done header.
            let crashAfter = damage == .interruptedWrite ? 45056 : 45056 + 20480
            var environment = setup.host
            environment["HE_TEST_CRASH_AFTER_BYTES"] = String(crashAfter)
            let crashed = try Tool.run(["--set-shared-config", "smtp-server", "crashed.example.com"], environment: environment)
            #expect(crashed.status == 137, "\(crashed)")
        case .unreadableByVdsm:
            #expect(chown(volume, 0, 0) == 0)
            #expect(chmod(volume, 0o600) == 0)
        case .ovfStoreWithoutEngineOvf:
            try rewriteOvfStore(setup.stores[1], dropping: "\(VmConfigTests.vmid).ovf")
        case .ovfStoreCopiesDisagree:
            try rewriteOvfStore(setup.stores[0], appendingNewlineTo: "\(VmConfigTests.vmid).ovf")
        case .ovfStoreGarbage:
            try Files.overwrite(setup.stores[0], with: [UInt8](repeating: 0, count: 10240))
        case .localConfDiffers:
            try replaceLine(in: setup.storage.hostedEngineConf, prefix: "gateway=", with: "gateway=192.0.2.254")
        }
    }

    /// An OVF_STORE copy rewritten as the engine writes it (tar in 10240-byte records), with a
    /// member dropped or changed.
    static func rewriteOvfStore(_ store: String, dropping: String = "", appendingNewlineTo: String = "") throws {
        try Command.run(
            "python3",
            [
                "-c",
                """
                import io, sys, tarfile
                path, drop, change = sys.argv[1:4]
                source = tarfile.open(fileobj=io.BytesIO(open(path, 'rb').read(1 << 20)))
                out = io.BytesIO()
                with tarfile.open(fileobj=out, mode='w', format=tarfile.USTAR_FORMAT) as tar:
                    for member in source.getmembers():
                        if member.name == drop:
                            continue
                        data = source.extractfile(member).read() + (b'\\n' if member.name == change else b'')
                        member.size = len(data)
                        tar.addfile(member, io.BytesIO(data))
                with open(path, 'r+b') as volume:
                    volume.write(out.getvalue())
                """,
                store, dropping, appendingNewlineTo,
            ]
        ).requireSuccess("rewrite the OVF_STORE")
    }

    /// hosted-engine.conf with the line starting `prefix` replaced (appended when there is none).
    static func replaceLine(in path: String, prefix: String, with line: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let index = lines.firstIndex(where: { $0.hasPrefix(prefix) }) {
            lines[index] = line
        } else {
            lines.insert(line, at: lines.count - 1)
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// Every file under `root` with its bytes' digest and its mode: what a write would change.
    static func snapshot(_ root: String) throws -> [String: String] {
        let listing = try Command.shell("cd '\(root)' && find . -type f -printf '%p %m ' -exec sha256sum {} \\; | sort").requireSuccess()
        var files: [String: String] = [:]
        for line in listing.stdout.split(separator: "\n") {
            let path = String(line.prefix { $0 != " " })
            files[path] = String(line.dropFirst(path.count + 1))
        }
        return files
    }
}
