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

extension ShellAssignment {
    /// What a shell makes of a value whose only syntax is `<>` (iscsi_paths_blacklist's
    /// `iface<>portal` pairs): the value before the first `<>`, and the file each `<>` opens
    /// read-write, creating it (checked with bash and dash). Nil for any other value.
    static func redirections(in value: String) -> (value: String, files: [String])? {
        let parts = value.split(separator: "<>", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1, parts.allSatisfy({ part in !part.isEmpty && problem(key: "", value: part) == nil }) else { return nil }
        return (parts[0], Array(parts.dropFirst()))
    }

    /// Lines of `text` that the shell cannot take as an assignment at all, with why: a key
    /// that is not a shell name (the line runs as a command), a value that runs a command or
    /// a redirection, or a quote left open (a syntax error that stops the sourcing there).
    /// Comments and blank lines are skipped; a quoted value the shell reads without its
    /// quotes is an assignment still.
    static func unreadableLines(_ text: String) -> [(line: Int, why: String)] {
        var found: [(line: Int, why: String)] = []
        for (index, line) in PythonText.lines(text).enumerated() {
            let scalars = Array(line.text.unicodeScalars.drop { $0 == " " || $0 == "\t" })
            guard let first = scalars.first, first != "#" else { continue }
            guard let equals = scalars.firstIndex(of: "=") else {
                found.append((index + 1, "it is no assignment, so the shell runs it as a command"))
                continue
            }
            let name = scalars[..<equals]
            let isName =
                name.first.map { $0 == "_" || isLetter($0) } == true
                && name.allSatisfy { $0 == "_" || isLetter($0) || ("0"..."9").contains($0) }
            guard isName else {
                found.append(
                    (
                        index + 1,
                        "'\(String(String.UnicodeScalarView(name)))' is not a shell variable name, so the shell runs the line as a command"
                    ))
                continue
            }
            if let why = valueProblem(Array(scalars[(equals + 1)...])) { found.append((index + 1, why)) }
        }
        return found
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }

    /// What a value does to the shell beyond being assigned, scanning it as a shell word.
    private static func valueProblem(_ value: [Unicode.Scalar]) -> String? {
        var quote: Unicode.Scalar?
        var index = 0
        while index < value.count {
            let scalar = value[index]
            let next = index + 1 < value.count ? value[index + 1] : nil
            switch (quote, scalar) {
            case (nil, "\\"), ("\"", "\\"): index += 1
            case (nil, "'"), (nil, "\""): quote = scalar
            case ("'", "'"), ("\"", "\""): quote = nil
            case (nil, "`"), ("\"", "`"): return "it runs a command (a backquote)"
            case (nil, "$"), ("\"", "$"): if next == "(" { return "it runs a command ($(...))" }
            case (nil, " "), (nil, "\t"), (nil, ";"), (nil, "&"), (nil, "|"):
                return "the shell ends the assignment at '\(scalar)' and runs the rest of the line as a command"
            case (nil, "<"), (nil, ">"), (nil, "("), (nil, ")"): return "the shell reads '\(scalar)' as a redirection or syntax"
            default: break
            }
            index += 1
        }
        return quote.map { "a \($0 == "'" ? "single" : "double") quote is left open, a syntax error that stops the shell reading the file" }
    }
}
