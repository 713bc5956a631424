import Foundation

/// Runs a program and collects what it printed.
public struct CommandResult: Sendable, CustomStringConvertible {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public let stdoutBytes: [UInt8]

    public var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

public enum Command {
    /// Runs `executable` with `arguments`; `environment` entries are added to (or, with nil,
    /// removed from) this process's environment.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String?] = [:],
        stdin: [UInt8]? = nil, currentDirectory: String? = nil
    ) throws -> CommandResult {
        let process = try start(executable, arguments, environment: environment, stdin: stdin, currentDirectory: currentDirectory)
        return process.wait()
    }

    /// Starts a program without waiting for it.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String?] = [:],
        stdin: [UInt8]? = nil, currentDirectory: String? = nil
    ) throws -> RunningCommand {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.contains("/") ? executable : try which(executable))
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        let running = RunningCommand(process: process, out: out, err: err)
        if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
        try? input.fileHandleForWriting.close()
        return running
    }

    /// The full path of a program on PATH.
    public static func which(_ name: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
    }

    public static func isAvailable(_ name: String) -> Bool {
        (try? which(name)) != nil
    }

    /// Runs a shell command line, failing the caller when it fails.
    @discardableResult
    public static func shell(_ script: String, environment: [String: String?] = [:]) throws -> CommandResult {
        let result = try run("/bin/sh", ["-c", script], environment: environment)
        guard result.status == 0 else {
            throw CommandFailure(command: script, result: result)
        }
        return result
    }
}

public struct CommandFailure: Error, CustomStringConvertible {
    public let command: String
    public let result: CommandResult
    public var description: String { "`\(command)` failed: \(result)" }
}

/// A started program; output is drained on background threads so a chatty program never blocks.
public final class RunningCommand: @unchecked Sendable {
    public let process: Process
    private let group = DispatchGroup()
    private var outData = Data()
    private var errData = Data()

    init(process: Process, out: Pipe, err: Pipe) {
        self.process = process
        group.enter()
        DispatchQueue.global().async {
            self.outData = out.fileHandleForReading.readDataToEndOfFile()
            self.group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            self.errData = err.fileHandleForReading.readDataToEndOfFile()
            self.group.leave()
        }
    }

    public var pid: Int32 { process.processIdentifier }

    public func wait() -> CommandResult {
        process.waitUntilExit()
        group.wait()
        return CommandResult(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self),
            stdoutBytes: [UInt8](outData))
    }
}
