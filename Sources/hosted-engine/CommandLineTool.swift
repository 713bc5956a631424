import ArgumentParser
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

    static func run(_ arguments: [String], in context: ToolContext) -> Int32 {
        let output = context.output
        if let quick = QuickCommand(arguments) {
            do {
                try quick.run(in: context)
                return 0
            } catch {
                return report(error, of: quick.commandType, to: output)
            }
        }
        guard let index = arguments.firstIndex(where: { argument in commands.contains { $0.word == argument } }) else {
            if arguments == ["--version"] {
                output.print("hosted-engine \(ToolVersion.string)")
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
                output.print(overview)
                return 0
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
        do {
            var parsed = try commandType.parseAsRoot(rest)
            // `--help` parses as the parser's own help command, whose run asks for the help text.
            guard let command = parsed as? any ToolCommand else {
                try parsed.run()
                return 0
            }
            var context = context
            // --without-sanlock changes how this run opens volumes.
            if let writing = command as? any WritingCommand { context.volumeSettings.writeWithoutLease = writing.write.withoutSanlock }
            try command.run(in: context)
            return 0
        } catch {
            return report(error, of: commandType, to: output)
        }
    }

    /// Prints `error` as the command would and returns the exit status.
    static func report(_ error: any Error, of commandType: any ToolCommand.Type, to output: Output) -> Int32 {
        do {
            throw error
        } catch let error as HostedEngineError {
            output.error(error.description)
            return commandType.exitCode(for: error)
        } catch let slip as UsageSlip {
            output.error(slip.description)
            return ExitCode.validationFailure.rawValue
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            let code = commandType.exitCode(for: error)
            // A usage slip is one line: what is wrong, the command's usage, where help is.
            if code == .validationFailure {
                let word = String(commandType.configuration.commandName?.split(separator: " ").last ?? "")
                let usage = synopsis(of: word).map { " Usage: hosted-engine \($0)." } ?? ""
                let message = commandType.message(for: error)
                output.error(
                    "hosted-engine \(word): \(message)\(message.hasSuffix(".") ? "" : ".")\(usage) See hosted-engine \(word) --help.")
                return code.rawValue
            }
            let message = commandType.fullMessage(for: error)
            if code == .success {
                output.print(message)
            } else if !message.isEmpty {
                output.error(message)
            }
            return code.rawValue
        }
    }

    /// The usage the overview gives a command word: `--get-shared-config KEY [--type TYPE]`.
    static func synopsis(of word: String) -> String? {
        for line in overview.split(separator: "\n") {
            let text = line.drop { $0 == " " }
            guard text.hasPrefix(word + " ") || text == word else { continue }
            // The usage ends where the description's column starts (two or more spaces).
            var usage = ""
            var spaces = 0
            for character in text {
                if character == " " {
                    spaces += 1
                    if spaces >= 2 { break }
                } else {
                    if spaces == 1 { usage += " " }
                    spaces = 0
                    usage.append(character)
                }
            }
            return usage
        }
        return nil
    }

    static var overview: String {
        """
        hosted-engine: read and change the Hosted Engine configuration on shared storage.

        USAGE: hosted-engine <command> [<arguments>] [<options>]

        COMMANDS:
          --get-shared-config KEY [--type TYPE]          Print a key's value.
          --set-shared-config KEY VALUE [--type TYPE]    Change a key's value (shared storage or this host's files).
          --get-all-config [--type TYPE] [--json]        Print every editable key and its value.
          --edit-shared-config [--type TYPE]             Edit a file in $VISUAL/$EDITOR, validate, push.

          --download-archive FILE|- [--json]             Save the archive exactly as stored (.tar.gz compresses).
          --upload-archive FILE --base sha256:...        Replace the archive if the volume still holds BASE.
          --upload-archive FILE --force                  Restore an archive (an old backup) whatever the volume holds.
          --list-backups [--json]                        List the archives and files saved before each write.
          --restore-backup ID [--dry-run] [--force]      Put a backup back where it came from, showing what changes.
          --prune-backups --keep N [--dry-run]           Keep only the newest N backups of each kind.
          --download-ovf-store DIR [--json]              Extract the newest OVF_STORE (every VM's OVF) into DIR.
          --upload-ovf-store DIR [--force]               Write DIR back to every OVF_STORE copy (compare-and-swap).

          --checkout-config DIR                          Extract the configuration into DIR to edit offline.
          --config-status DIR [--json]                   What changed in DIR, and whether the volume moved on.
          --config-diff DIR                              Unified diff of DIR against its base (exit 1 if any).
          --validate-config DIR [--json]                 Every problem in DIR as FILE:LINE: message.
          --push-config DIR [--dry-run] [--rebase]       Write DIR's changes with a compare-and-swap.

          --verify-storage [--json]                      Check the volume, every OVF_STORE copy and this host's file.

        TYPES: broker (broker.conf), vm (the engine VM's OVF), he_shared (hosted-engine.conf on the shared
        storage), he_local (this host's hosted-engine.conf), ha (this host's ha.conf).

        Every command takes --verbose (what it does, step by step, on stderr) and --quiet (errors only).
        On iSCSI and FC a write needs this host's sanlock lease; --without-sanlock writes without it.
        Run hosted-engine <command> --help for a command's options; hosted-engine --version for the version.
        Other commands (--deploy, --vm-status, --set-maintenance, ...) go to upstream's hosted-engine, with
        their arguments: \(UpstreamForwarding.whereFound).
        Exit status: 0 success, 1 error, 3 changed by somebody else (try again), 64 usage error.
        """
    }
}
