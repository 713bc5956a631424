import Foundation

/// Collects the notices the library reports through a volume's settings, from any thread.
final class Notices: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var count: Int { lock.withLock { messages.count } }
    var lines: [String] { lock.withLock { messages } }
}
