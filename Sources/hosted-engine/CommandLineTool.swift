import ArgumentParser
import CBuildInfo
import Glibc
import HostedEngineConfig

/// Dispatches on the command word and turns errors into messages and exit codes.
enum CommandLineTool {
    /// Command words, in the order `--help` lists them.
    static let commands: [(word: String, type: any ToolCommand.Type)] = [
        ("--get-shared-config", GetSharedConfig.self),
        ("--set-shared-config", SetSharedConfig.self),
        ("--get-all-config", GetAllConfig.self),
        ("--edit-shared-config", EditSharedConfig.self),
        ("--download-archive", DownloadArchive.self),
        ("--upload-archive", UploadArchive.self),
        ("--list-backups", ListBackups.self),
        ("--restore-backup", RestoreBackup.self),
        ("--history", History.self),
        ("--show-version", ShowVersion.self),
        ("--prune-backups", PruneBackups.self),
        ("--download-ovf-store", DownloadOvfStore.self),
        ("--upload-ovf-store", UploadOvfStore.self),
        ("--checkout-config", CheckoutConfig.self),
        ("--config-status", ConfigStatus.self),
        ("--config-diff", ConfigDiff.self),
        ("--validate-config", ValidateConfig.self),
        ("--push-config", PushConfig.self),
        ("--verify-storage", VerifyStorage.self),
    ]

    /// Whether `arguments` name one of this tool's commands (whose --verbose and --quiet are
    /// this tool's, not upstream's).
    static func namesACommand(_ arguments: [String]) -> Bool {
        arguments.contains { argument in commands.contains { $0.word == argument } }
    }

    /// Every value of `option` (`--type T` and `--type=T`) in `arguments`, before a `--`.
    static func values(of option: String, in arguments: [String]) -> [String] {
        var found: [String] = []
        var index = 0
        while index < arguments.count, arguments[index] != "--" {
            let argument = arguments[index]
            if argument == option, index + 1 < arguments.count {
                found.append(arguments[index + 1])
                index += 1
            } else if argument.hasPrefix(option + "=") {
                found.append(String(argument.dropFirst(option.count + 1)))
            }
            index += 1
        }
        return found
    }

    static func run(_ arguments: [String], in context: ToolContext) -> Int32 {
        let output = context.output
        if let quick = QuickCommand(arguments) {
            do {
                try quick.run(in: context)
                return 0
            } catch {
                return ErrorReport.report(error, of: quick.commandType, to: output)
            }
        }
        guard let index = arguments.firstIndex(where: { argument in commands.contains { $0.word == argument } }) else {
            if arguments == ["--version"] {
                output.print(ToolVersion.report(commit: String(cString: he_build_commit())))
                return 0
            }
            if arguments == ["--interface-json"] {
                output.print(InterfaceDescription.json.description)
                return 0
            }
            // Upstream's own words go there whole, --help included.
            if let first = arguments.first, UpstreamCli.commandWords.contains(first) {
                return UpstreamForwarding.forward(arguments, output: output)
            }
            if arguments.contains("--help") || arguments.contains("-h") {
                output.print(HelpText.overview)
                return 0
            }
            // A command word typed without its dashes.
            if let first = arguments.first, !first.hasPrefix("-"), commands.contains(where: { $0.word == "--" + first }) {
                output.error(
                    "hosted-engine: unknown command \(DisplayText.printable(first)). Did you mean --\(first)? Command words start with two dashes; run hosted-engine --help for the commands."
                )
                return ExitCode.validationFailure.rawValue
            }
            let word = arguments.first { $0.hasPrefix("--") }
            let given = word.map { "unknown command \($0)" } ?? "no command given"
            // A slip of one of this tool's words is answered here; any other word is upstream's.
            if let word, !UpstreamCli.commandWords.contains(word), let near = NearestWord.suggestion(for: word, in: commands.map(\.word)) {
                output.error("hosted-engine: \(given). Did you mean \(near)? Run hosted-engine --help for the commands.")
                return ExitCode.validationFailure.rawValue
            }
            // A word neither tool is known to have still goes to upstream's, when it is there.
            if let word, arguments.first == word, case .found = UpstreamForwarding.located {
                return UpstreamForwarding.forward(arguments, output: output)
            }
            output.error(
                "hosted-engine: \(given); the commands are \(commands.map(\.word).joined(separator: ", ")). Run hosted-engine --help.")
            return ExitCode.validationFailure.rawValue
        }
        let commandType = commands.first { $0.word == arguments[index] }!.type
        var rest = arguments
        rest.remove(at: index)
        // The parser keeps the last of an option given twice; two different types are a slip.
        let types = Self.values(of: "--type", in: rest)
        if Set(types).count > 1 {
            output.error(
                "hosted-engine \(arguments[index]): --type is given twice, as \(types.map { DisplayText.printable($0) }.joined(separator: " and ")); give one type. Run hosted-engine \(arguments[index]) --help."
            )
            return ExitCode.validationFailure.rawValue
        }
        do {
            var parsed = try commandType.parseAsRoot(commandType.normalized(rest))
            // `--help` parses as the parser's own help command, whose run asks for the help text.
            guard let command = parsed as? any ToolCommand else {
                try parsed.run()
                return 0
            }
            var context = context
            // --without-sanlock changes how this run opens volumes.
            if let writing = command as? any WritingCommand { context.volumeSettings.writeWithoutLease = writing.write.withoutSanlock }
            context.command = ([arguments[index]] + [command.historySubject].compactMap { $0 }).joined(separator: " ")
            try command.run(in: context)
            return 0
        } catch {
            return ErrorReport.report(error, of: commandType, to: output)
        }
    }
}
