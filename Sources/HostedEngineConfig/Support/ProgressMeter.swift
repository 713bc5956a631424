import Synchronization

/// One progress line for work that takes longer than a second (an OVF_STORE read or written
/// whole, `--verify-storage`): what is being read or written and how much, redrawn in place
/// at most ten times a second, and erased when the work ends. The command line makes one
/// only when stderr is a terminal; the library only reports bytes to it.
public final class ProgressMeter: Sendable {
    struct State {
        var label = ""
        var bytes: Int64 = 0
        var shown = false
        var lastDrawn = -Double.infinity
    }

    private let state = Mutex(State())
    private let started: Double
    private let delay: Double
    private let clock: @Sendable () -> Double
    private let draw: @Sendable (String) -> Void

    /// `draw` writes its text as is (a terminal's carriage return and erase-line included);
    /// nothing is drawn until `delay` seconds after the meter was made.
    public init(
        delay: Double = 1, clock: (@Sendable () -> Double)? = nil, draw: @escaping @Sendable (String) -> Void
    ) {
        let clock = clock ?? { TimeText.monotonicSeconds() }
        self.delay = delay
        self.clock = clock
        self.draw = draw
        self.started = clock()
    }

    /// `count` more bytes of `label` ("reading /path") moved.
    public func advance(_ label: String, by count: Int) {
        let now = clock()
        let line: String? = state.withLock { state in
            if state.label != label {
                state.label = label
                state.bytes = 0
            }
            state.bytes += Int64(count)
            guard now - started >= delay, now - state.lastDrawn >= 0.1 else { return nil }
            state.lastDrawn = now
            state.shown = true
            return "\r\u{1B}[K" + Self.text(label: DisplayText.printable(label), bytes: state.bytes, seconds: now - started)
        }
        if let line { draw(line) }
    }

    /// Erases the line, if one was drawn, before other output or at the end.
    public func clear() {
        let wasShown = state.withLock { state in
            defer { state.shown = false }
            return state.shown
        }
        if wasShown { draw("\r\u{1B}[K") }
    }

    /// `hosted-engine: reading b8d4f2a1-...: 48.0 MiB (1.2 s)`
    static func text(label: String, bytes: Int64, seconds: Double) -> String {
        let mebibytes = Double(bytes) / 1_048_576
        let amount = mebibytes >= 1 ? "\(tenths(mebibytes)) MiB" : "\(bytes >> 10) KiB"
        return "hosted-engine: \(label): \(amount) (\(tenths(seconds)) s)"
    }

    private static func tenths(_ value: Double) -> String {
        let scaled = Int64((value * 10).rounded())
        return "\(scaled / 10).\(scaled % 10)"
    }
}
