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

    /// The fuzzer compares broker.conf inputs with Python's configparser when it runs with the
    /// oracle beside it; the saved inputs are compared here the same way.
    @Test func everyInputReadsAsConfigparserReadsIt() throws {
        let oracle = try ConfigparserOracle(script: Fixtures.script("configparser-oracle"))
        for input in Self.inputs {
            let bytes = Array(try Fixtures.bytes(input).dropFirst())
            let difference = ConfigparserComparison.difference(bytes, try oracle.read(bytes))
            #expect(difference == nil, "\(input): \(difference ?? "")")
        }
    }

    @Test func theFoldersAreNotEmpty() {
        #expect(Self.inputs.filter { $0.hasPrefix("fuzz/regressions/") }.count >= 2)
        #expect(Self.inputs.filter { $0.hasPrefix("fuzz/corpus/") }.count >= 10)
    }
}
