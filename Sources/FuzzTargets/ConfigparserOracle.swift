import Foundation

/// `scripts/configparser-oracle --stream` kept running beside the fuzzer: each input is handed
/// to Python's configparser, read by path as the broker reads it, and its answer comes back.
public final class ConfigparserOracle {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var pending = Data()

    public init(script: String) throws {
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = ["--stream"]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// What Python's configparser makes of `bytes`.
    public func read(_ bytes: [UInt8]) throws -> [String: Any] {
        try input.fileHandleForWriting.write(contentsOf: Data("\(bytes.count)\n".utf8) + Data(bytes))
        while !pending.contains(10) {
            // What the pipe holds now (read(upToCount:) would wait for all it asks for).
            let more = output.fileHandleForReading.availableData
            guard !more.isEmpty else { throw CocoaError(.fileReadUnknown) }
            pending += more
        }
        let end = pending.firstIndex(of: 10)!
        let line = pending[pending.startIndex..<end]
        pending = Data(pending[(end + 1)...])
        return try JSONSerialization.jsonObject(with: line) as? [String: Any] ?? [:]
    }
}
