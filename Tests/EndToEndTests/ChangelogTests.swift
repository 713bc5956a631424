import Foundation
import HostedEngineConfig
import TestSupport
import Testing

/// CHANGELOG.md and what scripts/changelog makes of it: the RPM's %changelog and the collection's
/// changelog.yaml come from it, so a malformed file or a version the tool does not carry stops
/// the release with one line naming what is wrong.
@Suite struct ChangelogTests {
    static func run(_ arguments: [String]) throws -> CommandResult {
        try Command.run(Fixtures.script("changelog"), arguments)
    }

    @Test func theRepositorysChangelogIsWellFormedAndItsVersionIsTheTools() throws {
        let checked = try Self.run(["--check"])
        #expect(checked.status == 0, "\(checked)")
        #expect(try Self.run(["--version"]).stdout == ToolVersion.string + "\n")
    }

    @Test func theRpmChangelogHasOneEntryPerReleaseWithPercentSignsEscaped() throws {
        let directory = try TemporaryDirectory("changelog-rpm")
        let file = try directory.write(
            "CHANGELOG.md",
            """
            # Changelog

            ## [Unreleased]

            ## [1.1.0] - 2026-12-05

            ### Fixed
            - A value with 50% in it is kept
              as written.

            ## [1.0.0] - 2026-11-30

            The first.

            ### Added
            - `--get-shared-config`.

            [1.0.0]: https://example.org/v1.0.0
            """)
        let rpm = try Self.run(["--file", file, "--rpm"])
        #expect(
            rpm.stdout == """
                * Sat Dec 05 2026 hosted-engine developers - 1.1.0-1
                - Fixed: A value with 50%% in it is kept as written.

                * Mon Nov 30 2026 hosted-engine developers - 1.0.0-1
                - Added: --get-shared-config.

                """, "\(rpm)")
        let yaml = try Self.run(["--file", file, "--collection-yaml"])
        #expect(
            yaml.stdout.contains(
                "  1.0.0:\n    changes:\n      release_summary: \"The first.\"\n      minor_changes:\n        - \"``--get-shared-config``.\""
            ))
        #expect(
            yaml.stdout.contains(
                "      bugfixes:\n        - \"A value with 50% in it is kept as written.\"\n    release_date: '2026-12-05'"))
    }

    @Test(arguments: [
        ("## [1.0.0] - 2026-11-30\n\n### Added\n- x\n", "it must open with ## [Unreleased]"),
        ("## [Unreleased]\n\n## [1.0] - 2026-11-30\n", "a release heading is '## [X.Y.Z] - YYYY-MM-DD'"),
        ("## [Unreleased]\n\n## [1.0.0] - 2026-11-30\n\n### Improved\n- x\n", "'Improved' is not one of Added, Changed"),
        ("## [Unreleased]\n\n## [1.0.0] - 2026-11-30\n\n- x\n", "an entry outside a ### section"),
        ("## [Unreleased]\n\n## [1.0.0] - 2026-11-30\n\n### Added\n- x\n\n## [1.1.0] - 2026-12-01\n\n### Added\n- y\n", "newest first"),
        ("## [Unreleased]\n\n## [1.0.0] - 2026-11-30\n\n", "1.0.0 lists no change"),
        ("## [Unreleased]\n\n## [1.0.0] - 2026-13-30\n\n### Added\n- x\n", "month must be in 1..12"),
    ])
    func aMalformedChangelogIsRefusedInOneLine(text: String, said: String) throws {
        let directory = try TemporaryDirectory("changelog-bad")
        let file = try directory.write("CHANGELOG.md", "# Changelog\n\n" + text)
        let result = try Self.run(["--file", file, "--rpm"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("changelog: ") && result.stderr.contains(said), "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
    }

    @Test func aReleaseTheToolDoesNotCarryStopsTheCheck() throws {
        let directory = try TemporaryDirectory("changelog-version")
        let file = try directory.write("CHANGELOG.md", "## [Unreleased]\n\n## [99.0.0] - 2026-12-06\n\n### Added\n- x\n")
        let result = try Self.run(["--file", file, "--check"])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "the newest release in CHANGELOG.md is 99.0.0, but Sources/HostedEngineConfig/Support/ToolVersion.swift says \(ToolVersion.string)"
            ), "\(result)")
        #expect(result.stderr.contains("packaging/hosted-engine-config.spec says \(ToolVersion.string)"), "\(result)")
    }
}
