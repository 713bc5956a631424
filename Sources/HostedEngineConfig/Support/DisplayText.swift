/// How values appear in messages and listings: control characters escaped, so that a message
/// stays one line and a value cannot reach the terminal as a control sequence, and secrets hidden.
public enum DisplayText {
    /// `value` with control characters shown as an administrator would type them in a shell's
    /// `$'...'`: `\n`, `\r`, `\t`, `\x1b`, `\u2028`.
    public static func printable(_ value: String, keepingTabs: Bool = false) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            guard isControl(scalar), !(keepingTabs && scalar == "\t") else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let hex = String(scalar.value, radix: 16)
                out += scalar.value < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u" + hex
            }
        }
        return out
    }

    /// A value as a listing shows it: `'value'`, `(secret)` for a secret that is not to be
    /// shown, `(not set)` for none.
    public static func quoted(_ value: String?, secret: Bool, showSecrets: Bool = false) -> String {
        guard let value else { return "(not set)" }
        return secret && !showSecrets ? "(secret)" : "'\(printable(value))'"
    }

    /// Whether `value` passes through sh as one word unchanged (letters, digits and `._:/@=,+-`),
    /// so that a command line suggesting it can be run as printed.
    public static func isPlainShellWord(_ value: String) -> Bool {
        !value.isEmpty
            && value.unicodeScalars.allSatisfy { scalar in
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                    || "._:/@=,+-".unicodeScalars.contains(scalar)
            }
    }

    /// `text` as one word of a command line for sh: as it is when it is a plain word (letters,
    /// digits and `._:/@=,+-`), else in single quotes, each quote in it written `'\''`. Paths and
    /// keys that come from the storage go into a suggested command only this way.
    public static func shellWord(_ text: String) -> String {
        if isPlainShellWord(text) { return text }
        return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// A line of a file as a diff or a listing prints it: `printable`, tabs kept.
    public static func printableLine(_ line: String) -> String {
        printable(line, keepingTabs: true)
    }

    /// A file mode as `ls` shows it in octal: four digits.
    public static func octal(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// A message of one or more lines: each line `printableLine`, the line breaks kept.
    public static func message(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { printableLine(String($0)) }.joined(separator: "\n")
    }

    /// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the invisible
    /// format characters (bidi overrides such as U+202E, zero-width ones), which make a text
    /// read differently from what it is.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) || value == 0x2028 || value == 0x2029
            || (value >= 0x80 && scalar.properties.generalCategory == .format)
    }
}
