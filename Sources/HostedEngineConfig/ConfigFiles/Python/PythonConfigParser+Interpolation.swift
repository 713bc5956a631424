extension PythonConfigParser {
    /// configparser's `MAX_INTERPOLATION_DEPTH`.
    static let maximumDepth = 10

    /// `BasicInterpolation.before_get`: `%%` is a percent sign, `%(name)s` the value of another
    /// option of the section (or of `[DEFAULT]`), itself interpolated; any other `%` is an
    /// error. Counted in scalars, as Python counts code points.
    func interpolate(_ option: Option, section: String, among options: [Option]) -> Result<String, Failure> {
        var output = String.UnicodeScalarView()
        let line = option.lineIndex + 1
        func expand(_ text: String, depth: Int) throws(Failure) {
            if depth > Self.maximumDepth {
                throw .interpolationDepth(section: section, option: option.name, line: line)
            }
            var rest = Substring(text).unicodeScalars
            while let percent = rest.firstIndex(of: "%") {
                output.append(contentsOf: rest[..<percent])
                rest = rest[percent...]
                let next = rest.dropFirst().first
                if next == "%" {
                    output.append("%")
                    rest = rest.dropFirst(2)
                } else if next == "(" {
                    // `%\(([^)]+)\)s`: a name of one or more characters up to the first `)`, then `s`.
                    let body = rest.dropFirst(2)
                    guard let close = body.firstIndex(of: ")"), close > body.startIndex, body[body.index(after: close)...].first == "s"
                    else {
                        throw .interpolationSyntax(
                            section: section, option: option.name, line: line, detail: "a '%(' that is not '%(name)s'")
                    }
                    let name = PythonText.lower(String(String.UnicodeScalarView(body[..<close])))
                    rest = body[body.index(close, offsetBy: 2)...]
                    guard let referenced = options.first(where: { PythonText.same($0.name, name) }) else {
                        throw .interpolationMissingOption(section: section, option: option.name, line: line, reference: name)
                    }
                    if referenced.value.unicodeScalars.contains("%") {
                        try expand(referenced.value, depth: depth + 1)
                    } else {
                        output.append(contentsOf: referenced.value.unicodeScalars)
                    }
                } else {
                    throw .interpolationSyntax(
                        section: section, option: option.name, line: line, detail: "a '%' that is neither '%%' nor '%(name)s'")
                }
            }
            output.append(contentsOf: rest)
        }
        do {
            try expand(option.value, depth: 1)
            return .success(String(output))
        } catch {
            return .failure(error)
        }
    }
}
