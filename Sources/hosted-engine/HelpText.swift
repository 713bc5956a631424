import HostedEngineConfig

/// The overview `--help` prints, and each command's usage cut from it (for a slip's one line and
/// the interface description), so that the two never disagree.
enum HelpText {
    /// Each command's usage and what it does, in the groups the overview shows.
    static let usages: [[(usage: String, summary: String)]] = [
        [
            ("--get-shared-config KEY [--type TYPE]", "Print a key's value."),
            ("--set-shared-config KEY VALUE [--type TYPE]", "Change a key's value (shared storage or this host's files)."),
            ("--set-shared-config --set KEY=VALUE ...", "Change several keys in one write, all or none."),
            ("--get-all-config [--type TYPE] [--json]", "Print every editable key and its value."),
            ("--edit-shared-config [--type TYPE]", "Edit a file in $VISUAL/$EDITOR, validate, push."),
        ],
        [
            ("--download-archive FILE|- [--json]", "Save the archive exactly as stored (.tar.gz compresses)."),
            ("--upload-archive FILE --base sha256:...", "Replace the archive if the volume still holds BASE."),
            ("--upload-archive FILE --force", "Restore an archive (an old backup) whatever the volume holds."),
            ("--list-backups [--json]", "List the archives and files saved before each write."),
            ("--history [--json]", "Every version of the shared configuration, from every host."),
            ("--show-version ID [--diff [ID2]]", "One version's keys, or what changed from it to ID2 or now."),
            ("--restore-backup ID [--key KEY] [--force]", "Put a version or a backup back, or one key of it."),
            ("--prune-backups --keep N [--dry-run]", "Keep only the newest N backups of each kind."),
            ("--download-ovf-store DIR [--json]", "Extract the newest OVF_STORE (every VM's OVF) into DIR."),
            ("--upload-ovf-store DIR [--force]", "Write DIR back to every OVF_STORE copy (compare-and-swap)."),
        ],
        [
            ("--checkout-config DIR", "Extract the configuration into DIR to edit offline."),
            ("--config-status DIR [--json]", "What changed in DIR, and whether the volume moved on."),
            ("--config-diff DIR", "Unified diff of DIR against its base (exit 1 if any)."),
            ("--validate-config DIR [--json]", "Every problem in DIR as FILE:LINE: message."),
            ("--push-config DIR [--dry-run] [--rebase]", "Write DIR's changes with a compare-and-swap."),
        ],
        [
            ("--verify-storage [--json]", "Check the volume, every OVF_STORE copy and this host's file.")
        ],
    ]

    /// The usage of a command word: `--get-shared-config KEY [--type TYPE]`.
    static func synopsis(of word: String) -> String? {
        let forms = usages.joined().map(\.usage).filter { $0 == word || $0.hasPrefix(word + " ") }
        guard let first = forms.first else { return nil }
        // The other forms of the same word, without repeating it.
        return ([first] + forms.dropFirst().map { String($0.dropFirst(word.count + 1)) }).joined(separator: " | ")
    }

    /// The commands as the overview lists them, the summaries in one column.
    static var commandList: String {
        let width = usages.joined().map(\.usage.count).max()! + 4
        return usages.map { group in
            group.map { "  " + $0.usage + String(repeating: " ", count: width - $0.usage.count) + $0.summary }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    static var overview: String {
        """
        hosted-engine: read and change the Hosted Engine configuration on shared storage.

        USAGE: hosted-engine <command> [<arguments>] [<options>]

        COMMANDS:
        \(commandList)

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
