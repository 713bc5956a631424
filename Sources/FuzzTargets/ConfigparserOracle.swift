import Foundation
import Glibc

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
        // Plain system calls, retried on EINTR: FileHandle's reads stop the process on an
        // interrupted call, and libFuzzer's timers interrupt calls.
        let record = Array("\(bytes.count)\n".utf8) + bytes
        var written = 0
        while written < record.count {
            let count = record.withUnsafeBytes {
                Glibc.write(input.fileHandleForWriting.fileDescriptor, $0.baseAddress! + written, $0.count - written)
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw CocoaError(.fileWriteUnknown) }
            written += count
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !pending.contains(10) {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(output.fileHandleForReading.fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw CocoaError(.fileReadUnknown) }
            pending += buffer[0..<count]
        }
        let end = pending.firstIndex(of: 10)!
        let line = pending[pending.startIndex..<end]
        pending = Data(pending[(end + 1)...])
        return try JSONSerialization.jsonObject(with: line) as? [String: Any] ?? [:]
    }
}
