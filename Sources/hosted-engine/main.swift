import Glibc

// The design note's command words (`--get-shared-config`, ...) look like options, which
// swift-argument-parser cannot take as subcommand names; `CommandLineTool` finds the word and
// hands the rest of the arguments to that command's parser. Everything the run needs is made
// here, once, and handed down.
var arguments = Array(CommandLine.arguments.dropFirst())
var verbosity = Verbosity.normal
// --verbose and --quiet belong to every command of this tool (not to upstream's).
if CommandLineTool.namesACommand(arguments) { (verbosity, arguments) = Verbosity.take(from: arguments) }
let context: ToolContext
do {
    context = try ToolContext(verbosity: verbosity)
} catch {
    Output(progress: nil, verbosity: verbosity).error("\(error)")
    exit(64)
}
let status = CommandLineTool.run(arguments, in: context)
context.output.finish()
exit(status)
