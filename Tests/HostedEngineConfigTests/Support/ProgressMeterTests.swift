import HostedEngineConfig
import Synchronization
import Testing

/// The progress line: nothing in the first second, then redrawn in place at most ten times a
/// second, erased at the end only if it was drawn.
@Suite struct ProgressMeterTests {
    final class Recorder: Sendable {
        let now = Mutex(0.0)
        let drawn = Mutex([String]())
    }

    @Test func drawsOnlyAfterTheDelayAndNotTooOften() {
        let recorder = Recorder()
        let meter = ProgressMeter(
            delay: 1, clock: { recorder.now.withLock { $0 } }, draw: { text in recorder.drawn.withLock { $0.append(text) } })
        meter.advance("reading volume", by: 1 << 20)
        recorder.now.withLock { $0 = 0.5 }
        meter.advance("reading volume", by: 1 << 20)
        meter.clear()
        #expect(recorder.drawn.withLock { $0 }.isEmpty, "nothing in the first second, and nothing to erase")

        recorder.now.withLock { $0 = 1.2 }
        meter.advance("reading volume", by: 1 << 20)
        recorder.now.withLock { $0 = 1.25 }
        meter.advance("reading volume", by: 1 << 20)
        recorder.now.withLock { $0 = 1.4 }
        meter.advance("writing volume", by: 512 << 10)
        meter.clear()
        meter.clear()
        #expect(
            recorder.drawn.withLock { $0 } == [
                "\r\u{1B}[Khosted-engine: reading volume: 3.0 MiB (1.2 s)",
                "\r\u{1B}[Khosted-engine: writing volume: 512 KiB (1.4 s)",
                "\r\u{1B}[K",
            ])
    }
}
