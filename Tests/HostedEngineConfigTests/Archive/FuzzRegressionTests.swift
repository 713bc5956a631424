import Foundation
import FuzzTargets
import TestSupport
import Testing

/// Every input the fuzzer ever crashed on, and its seed corpus, through the same targets and
/// invariants (a broken invariant stops the test process).
@Suite struct FuzzRegressionTests {
    static let folders = ["fuzz/regressions", "fuzz/corpus"]

    static var inputs: [String] {
        folders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.path(folder))) ?? []).sorted().map { "\(folder)/\($0)" }
        }
    }

    @Test(arguments: inputs)
    func replays(input: String) throws {
        FuzzTargets.run(try Fixtures.bytes(input))
    }

    @Test func theFoldersAreNotEmpty() {
        #expect(Self.inputs.filter { $0.hasPrefix("fuzz/regressions/") }.count >= 2)
        #expect(Self.inputs.filter { $0.hasPrefix("fuzz/corpus/") }.count >= 10)
    }
}
