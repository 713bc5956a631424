import Foundation
import TestSupport
import Testing

/// Each fix `--verify-storage` prints, run as it is printed: the problem is gone after it.
@Suite struct VerifyStorageFixTests {
    typealias Damage = VerifyStorageTests.Damage

    /// The damages whose fix is a command of this tool or of the shell. (An OVF_STORE copy that
    /// lost the engine VM's OVF or holds zeros is fixed by the engine, "Update OVFs"; see the notes.)
    static let fixable: [Damage] = [
        .zeroedArchive, .missingMember, .archivePastOneRecord, .brokerUnreadable, .interruptedWrite, .finishedWriteStillPending,
        .unreadableByVdsm, .ovfStoreCopiesDisagree, .localConfDiffers,
    ]

    @Test(arguments: fixable) func eachFixItPrintsRepairsIt(damage: Damage) throws {
        let setup = try VmConfigTests.Setup("verify-fix-\(damage.rawValue)")
        // A write first, as on any cluster in use: the shared history has a version to restore.
        #expect(try setup.run(["--set-shared-config", "smtp-port", "2525"]).status == 0)
        try VerifyStorageTests.apply(damage, to: setup)
        let before = try setup.run(["--verify-storage", "--json"])
        #expect(before.status == 1, "\(damage): \(before)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(before.stdoutBytes)) as? [String: Any])
        let problems = try #require(report["problems"] as? [String])
        let index = try #require(problems.firstIndex { $0.contains(damage.expected) }, "\(damage): \(problems)")
        let fixes = try #require(
            (report["fixes"] as? [[String: Any]])?.first { $0["problem"] as? Int == index }?["commands"] as? [String],
            "\(damage): no fix for \(problems[index])")
        // Each command is also in the problem's words, as the administrator reads them.
        for fix in fixes where fix.hasPrefix("hosted-engine ") {
            #expect(problems[index].contains(fix.replacingOccurrences(of: "hosted-engine --upload", with: "--upload")), "\(fix)")
        }
        let folder = setup.directory.file("fix-folder")
        var environment = setup.host
        let editor = try setup.directory.write("fix-editor.sh", "#!/bin/sh\nsed -i '/^\\[broken$/d' \"$1\"\n")
        chmod(editor, 0o755)
        environment["VISUAL"] = editor
        for fix in fixes {
            let result = try Tool.shell(fix.replacingOccurrences(of: "DIR", with: folder), environment: environment)
            #expect(result.status == 0, "\(damage): \(fix): \(result)")
        }
        let after = try setup.run(["--verify-storage"])
        #expect(!after.stdout.contains(damage.expected), "\(damage): after \(fixes): \(after)")
        #expect(after.status == 0, "\(damage): after \(fixes): \(after)")
    }
}
