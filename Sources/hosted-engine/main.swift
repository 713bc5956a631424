import Glibc

// The design note's command words (`--get-shared-config`, ...) look like options, which
// swift-argument-parser cannot take as subcommand names; `CommandLineTool` finds the word and
// hands the rest of the arguments to that command's parser.
let status = CommandLineTool.run(Array(CommandLine.arguments.dropFirst()))
CommandLineTool.progress?.clear()
exit(status)
