/// hosted-engine.conf as its second reader takes it: upstream's `hosted-engine` command is a
/// shell script that sources the file (`source hosted-engine.conf`), so each `key=value` line
/// is a shell assignment. Checked against bash and dash: in an assignment's value, these
/// characters and a leading `~` (or one after `:`) read differently, a space ends the
/// assignment and runs the rest as a command, and `<>` opens a file.
enum ShellAssignment {
    static let special: Set<Unicode.Scalar> = ["\"", "$", "&", "'", "(", ")", ";", "<", ">", "\\", "`", "|", " ", "\t"]

    /// Why a shell reads `key=value` as something else than `value`; nil when it reads the same.
    static func problem(key: String, value: String) -> String? {
        let scalars = Array(value.unicodeScalars)
        if let bad = scalars.first(where: special.contains) {
            let what: String
            switch bad {
            case " ", "\t": what = "a space, which ends the assignment so that the shell runs the rest of the line as a command"
            case "<", ">": what = "'\(bad)', which the shell reads as a redirection (it would open or create a file)"
            default: what = "'\(bad)', which the shell reads as syntax, not as part of the value"
            }
            return
                "upstream's hosted-engine command sources hosted-engine.conf as a shell script, and the value of \(key) holds \(what)"
        }
        for (offset, scalar) in scalars.enumerated() where scalar == "~" && (offset == 0 || scalars[offset - 1] == ":") {
            return
                "upstream's hosted-engine command sources hosted-engine.conf as a shell script, which would replace the '~' in the value of \(key) with a home folder"
        }
        return nil
    }
}
