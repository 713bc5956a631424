import Glibc

extension StorageVerification {
    /// This host's hosted-engine.conf against the archive's, key by key as the agent reads each:
    /// only host_id may differ (each host has its own).
    func compareHostedEngineConf(with archive: ConfigArchive?, into report: inout StorageReport) {
        guard let archive, let sharedBytes = archive.contents(of: "hosted-engine.conf"),
            let shared = try? AgentConfReading(bytes: sharedBytes)
        else {
            report.notes.append("This host's hosted-engine.conf was not compared: the volume's copy could not be read.")
            return
        }
        let (path, source) = locator.path(of: .hostedEngineConf)
        let bytes: [UInt8]
        do {
            bytes = try LocalFile.read(path)
        } catch {
            if case .system(.noSuchFileOrDirectory) = error, source == "the default" {
                report.notes.append("This host's hosted-engine.conf was not compared: there is none at \(path); give --he-conf FILE.")
                return
            }
            let why: String
            switch error {
            case let .system(error): why = error.reason
            case .tooLarge: why = "it is larger than 1 MiB"
            case .notARegularFile: why = "it is not a regular file"
            }
            report.problems.append("\(path) (\(source)) cannot be read (\(why)); the HA agent on this host cannot start without it.")
            return
        }
        guard let local = try? AgentConfReading(bytes: bytes) else {
            report.problems.append(
                "\(path) (\(source)) is not UTF-8 text, so the HA agent on this host cannot read it; restore it from a backup (hosted-engine --list-backups) or from the volume's copy."
            )
            return
        }
        for problem in local.networkProblems {
            report.problems.append("\(path): \(problem.message) (this host's file: --type he_local).")
        }
        var keys: [String] = []
        for entry in local.entries + shared.entries where !keys.contains(where: { PythonText.same($0, entry.key) }) {
            keys.append(entry.key)
        }
        var differences: [StorageReport.KeyDifference] = []
        for key in keys {
            let here = local.value(key)
            let there = shared.value(key)
            guard here != there else { continue }
            let secret = key.lowercased().contains("password") || ConfigType.heShared.keys.contains { $0.name == key && $0.isSecret }
            let expected = key == "host_id"
            differences.append(.init(key: key, local: here, shared: there, isExpected: expected, isSecret: secret))
            if !expected {
                // The fix that takes the volume's value here, when it has one to take.
                let take = there.flatMap { value in
                    // The key comes from the files: one quoted word, never shell syntax.
                    secret || !DisplayText.isPlainShellWord(value)
                        ? nil : "hosted-engine --set-shared-config \(DisplayText.shellWord(key)) \(value) --type=he_local"
                }
                let differ =
                    "\(path) and the volume's hosted-engine.conf differ on \(key): \(DisplayText.quoted(here, secret: secret)) here, \(DisplayText.quoted(there, secret: secret)) on the volume"
                if let take {
                    report.add(
                        "\(differ); make them agree: \(take) takes the volume's here (or set the volume's with --type=he_shared).",
                        fix: [take])
                } else {
                    report.add(
                        "\(differ); make them agree (hosted-engine --set-shared-config \(key) VALUE --type=he_local or --type=he_shared).")
                }
            }
        }
        report.hostedEngineConf = .init(localPath: path, differences: differences)
    }
}
