/// The plain forms of the two commands every host runs most, recognized without
/// swift-argument-parser: its reflection over the command's properties costs about 2 ms of a
/// 7 ms get. Anything else (help, another option, a misplaced or missing argument) is left to
/// the full parser, so what is printed for bad input stays the same.
enum QuickCommand: Equatable {
    case get(key: String, type: String?, json: Bool)
    case set(key: String, value: String, type: String?)

    /// `arguments` without the program name.
    init?(_ arguments: [String]) {
        guard let word = arguments.first else { return nil }
        var positionals: [String] = []
        var type: String?
        var json = false
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            if argument == "--type", type == nil, let value = rest.popFirst(), !value.hasPrefix("-") {
                type = value
            } else if argument.hasPrefix("--type="), argument.count > "--type=".count, type == nil {
                type = String(argument.dropFirst("--type=".count))
            } else if argument == "--json", word == "--get-shared-config", !json {
                json = true
            } else if argument.hasPrefix("-") {
                return nil
            } else {
                positionals.append(argument)
            }
        }
        switch (word, positionals.count) {
        case ("--get-shared-config", 1):
            self = .get(key: positionals[0], type: type, json: json)
        case ("--set-shared-config", 2):
            self = .set(key: positionals[0], value: positionals[1], type: type)
        default:
            return nil
        }
    }

    var commandType: any ToolCommand.Type {
        switch self {
        case .get: GetSharedConfig.self
        case .set: SetSharedConfig.self
        }
    }

    /// Runs with every option at its default, as the full parser would leave it.
    func run(in context: ToolContext) throws {
        let locator = context.locator()
        switch self {
        case let .get(key, type, json):
            try GetSharedConfig.perform(key: key, type: type, json: json, locator: locator, context: context)
        case let .set(key, value, type):
            var context = context
            context.command = "--set-shared-config \(key)"
            try SetSharedConfig.perform(
                key: key, value: value, type: type, locator: locator, options: WriteOptions.options(context: context), context: context)
        }
    }
}
