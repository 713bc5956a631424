import ArchiveKit
import Foundation
import HostedEngineConfig
import TestSupport
import Testing

@Suite struct WorkingCopyTests {
    struct Setup {
        let directory: TemporaryDirectory
        let volumePath: String

        init(_ label: String) throws {
            directory = try TemporaryDirectory(label)
            let tar = try UpstreamStorage.editorArchive(try Fixtures.configMembers(), in: directory)
            volumePath = try UpstreamStorage.makeVolume(at: directory.file("volume"), archive: tar, size: 1 << 20)
        }

        func checkout(_ name: String) throws -> WorkingCopy {
            try WorkingCopy.checkout(from: try Volume(path: volumePath, forWriting: false), into: directory.file(name))
        }

        func edit(_ copy: WorkingCopy, _ member: String = "broker.conf", _ change: (String) -> String) throws {
            let path = copy.directory + "/" + member
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try change(text).write(toFile: path, atomically: false, encoding: .utf8)
        }

        func volumeValue(_ key: String) throws -> String {
            try SharedConfig().get(key: key, type: nil, locator: VolumeLocator(volume: volumePath)).value
        }
    }

    @Test func checkoutMakesAPrivateCopyWithItsBase() throws {
        let setup = try Setup("wc-checkout")
        let copy = try setup.checkout("work")
        let attributes = try FileManager.default.attributesOfItem(atPath: copy.directory)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        for member in try Fixtures.configMembers() {
            let path = copy.directory + "/" + member.name
            #expect(try Files.read(path) == member.bytes)
            #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
        let reopened = try WorkingCopy(opening: copy.directory)
        #expect(reopened.base.checksum == copy.base.checksum)
        #expect(reopened.volumePath == setup.volumePath)
        #expect(try Files.read(copy.directory + "/.hosted-engine/base.tar") == Files.readPrefix(setup.volumePath, count: 20480))
    }

    @Test func refusesADirectoryThatIsNotEmptyOrNotACheckout() throws {
        let setup = try Setup("wc-refuse")
        try setup.directory.write("busy/file", "x")
        let busy = #expect(throws: HostedEngineError.self) { try setup.checkout("busy") }
        #expect(busy == .workingDirectory(setup.directory.file("busy"), .notEmpty(action: "check out")))
        #expect(
            busy?.description
                == "Cannot use the working directory \(setup.directory.file("busy")): it already exists and is not empty; check out into a new directory."
        )
        let error = #expect(throws: HostedEngineError.self) { try WorkingCopy(opening: setup.directory.file("busy")) }
        #expect(error?.description.contains("is not a checkout") == true)
    }

    @Test func pushWritesTheChangeAndMovesTheBase() throws {
        let setup = try Setup("wc-push")
        let copy = try setup.checkout("work")
        #expect(try copy.push(schema: .standard, options: setup.directory.options(), rebase: false, dryRun: false) == .nothingToPush)
        try setup.edit(copy) { $0.replacingOccurrences(of: "smtp-server=localhost", with: "smtp-server=mail.example.com") }
        guard case .dryRun = try copy.push(schema: .standard, options: setup.directory.options(), rebase: false, dryRun: true) else {
            Issue.record("expected a dry run")
            return
        }
        #expect(try setup.volumeValue("smtp-server") == "localhost")
        guard
            case .pushed(_, false, _, let backups) = try copy.push(
                schema: .standard, options: setup.directory.options(), rebase: false, dryRun: false)
        else {
            Issue.record("expected a push")
            return
        }
        #expect(try setup.volumeValue("smtp-server") == "mail.example.com")
        #expect(try Files.read(backups[0]) == copy.base.bytes)
        let after = try WorkingCopy(opening: copy.directory)
        #expect(after.base.checksum == Checksum(of: try Files.readPrefix(setup.volumePath, count: 20480)))
        #expect(after.changes(schema: .standard).isEmpty)
    }

    @Test func aPushAfterAnotherChangeIsRefusedAndLeavesEverything() throws {
        let setup = try Setup("wc-conflict")
        let copy = try setup.checkout("work")
        try setup.edit(copy) { $0.replacingOccurrences(of: "smtp-port=25", with: "smtp-port=2525") }
        _ = try SharedConfig().set(
            key: "smtp-server", value: "other.example.com", type: nil, locator: VolumeLocator(volume: setup.volumePath),
            options: setup.directory.options())
        let volumeBefore = try Files.read(setup.volumePath)
        let brokerBefore = try Files.read(copy.directory + "/broker.conf")
        let metadataBefore = try Files.read(copy.directory + "/.hosted-engine/checkout")
        let error = #expect(throws: HostedEngineError.self) {
            try copy.push(schema: .standard, options: setup.directory.options(), rebase: false, dryRun: false)
        }
        #expect(error?.exitCode == 3)
        let lines = error?.description.split(separator: "\n").map(String.init) ?? []
        #expect(
            lines.count == 4 && lines[0] == "Update failed. The configuration file was changed by somebody else, try again."
                && lines[1] == "Changed on the volume since checkout: broker.conf email.smtp-server."
                && lines[3]
                    == "The working directory is as it was; push again with --rebase to merge your changes onto these, or check out again.",
            "\(lines)")
        // The key's value now, and who changed it, from the shared history.
        #expect(lines.count > 2 && lines[2].hasPrefix("  broker.conf email.smtp-server is now 'other.example.com', changed at "))
        #expect(lines.count > 2 && lines[2].hasSuffix(" with (library) (v2)"))
        #expect(try Files.read(setup.volumePath) == volumeBefore)
        #expect(try Files.read(copy.directory + "/broker.conf") == brokerBefore)
        #expect(try Files.read(copy.directory + "/.hosted-engine/checkout") == metadataBefore)
    }

    @Test func rebaseMergesDisjointKeysAndRefusesOverlaps() throws {
        let setup = try Setup("wc-rebase")
        let first = try setup.checkout("first")
        let second = try setup.checkout("second")
        try setup.edit(first) { $0.replacingOccurrences(of: "smtp-server=localhost", with: "smtp-server=first.example.com") }
        try setup.edit(second) { $0.replacingOccurrences(of: "smtp-port=25", with: "smtp-port=587") }
        _ = try first.push(schema: .standard, options: setup.directory.options(), rebase: false, dryRun: false)
        guard
            case .pushed(_, true, _, _) = try second.push(
                schema: .standard, options: setup.directory.options(), rebase: true, dryRun: false)
        else {
            Issue.record("expected a rebased push")
            return
        }
        #expect(try setup.volumeValue("smtp-server") == "first.example.com")
        #expect(try setup.volumeValue("smtp-port") == "587")
        // The second working copy now shows both changes, and is clean.
        let broker = try String(contentsOfFile: second.directory + "/broker.conf", encoding: .utf8)
        #expect(broker.contains("smtp-server=first.example.com") && broker.contains("smtp-port=587"))
        #expect(try WorkingCopy(opening: second.directory).changes(schema: .standard).isEmpty)

        // An overlap: both change smtp-port, differently.
        let third = try setup.checkout("third")
        try setup.edit(third) { $0.replacingOccurrences(of: "smtp-port=587", with: "smtp-port=2525") }
        _ = try SharedConfig().set(
            key: "smtp-port", value: "465", type: nil, locator: VolumeLocator(volume: setup.volumePath), options: setup.directory.options())
        let volumeBefore = try Files.read(setup.volumePath)
        let error = #expect(throws: HostedEngineError.self) {
            try third.push(schema: .standard, options: setup.directory.options(), rebase: true, dryRun: false)
        }
        // The overlap, and from the shared history who made the volume's change (the set above, v4).
        guard case let .rebaseConflict(overlaps)? = error, overlaps.count == 1 else {
            Issue.record("not one overlap: \(String(describing: error))")
            return
        }
        #expect(overlaps[0].hasPrefix("broker.conf email.smtp-port: base '587', local '2525', volume '465', changed at "))
        #expect(overlaps[0].hasSuffix(" with (library) (v4)"))
        #expect(error?.exitCode == 3)
        #expect(try Files.read(setup.volumePath) == volumeBefore)
    }

    @Test func statusAndDiffShowChangesAndHideSecrets() throws {
        let setup = try Setup("wc-status")
        let copy = try setup.checkout("work")
        try setup.edit(copy) { $0.replacingOccurrences(of: "smtp-server=localhost", with: "smtp-server=mail.example.com") }
        try setup.edit(copy, "hosted-engine.conf") { $0.replacingOccurrences(of: "password=\n", with: "password=s3cret\n") }
        let status = copy.status(schema: .standard)
        let text = status.text(showSecrets: false)
        #expect(text.contains("The volume has not changed since checkout."))
        #expect(text.contains("broker.conf: email.smtp-server: 'localhost' -> 'mail.example.com'"))
        #expect(text.contains("hosted-engine.conf: password: (secret) -> (secret)\n"))
        #expect(!text.contains("s3cret"))
        #expect(status.text(showSecrets: true).contains("'s3cret'"))
        #expect(!status.json(showSecrets: false).description.contains("s3cret"))

        let diff = copy.diff(schema: .standard, showSecrets: false)
        #expect(diff.contains("-smtp-server=localhost\n+smtp-server=mail.example.com\n"))
        #expect(diff.contains("-password=\n+password=********\n"))
        #expect(!diff.contains("s3cret"))
        #expect(copy.diff(schema: .standard, showSecrets: true).contains("+password=s3cret"))

        _ = try SharedConfig().set(
            key: "smtp-port", value: "587", type: nil, locator: VolumeLocator(volume: setup.volumePath), options: setup.directory.options())
        #expect(copy.status(schema: .standard).text(showSecrets: false).contains("The volume changed since checkout (now sha256:"))
    }

    @Test func aSymbolicLinkInPlaceOfAFileIsNotFollowed() throws {
        let setup = try Setup("wc-symlink")
        let copy = try setup.checkout("work")
        let outside = try setup.directory.write("outside.conf", "[email]\nsmtp-server=evil.example.com\n")
        try FileManager.default.removeItem(atPath: copy.directory + "/broker.conf")
        try FileManager.default.createSymbolicLink(atPath: copy.directory + "/broker.conf", withDestinationPath: outside)
        #expect(
            copy.problems(schema: .standard).map(\.description) == [
                "broker.conf:0: the file is a symbolic link; put a regular file in its place"
            ])
        #expect(throws: HostedEngineError.self) {
            try copy.push(schema: .standard, options: setup.directory.options(), rebase: false, dryRun: false)
        }
        #expect(try setup.volumeValue("smtp-server") == "localhost")
    }
}
