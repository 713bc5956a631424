import Glibc

/// UTC times as text, without Foundation.
public enum TimeText {
    /// `20261125T211542Z`, for file names.
    public static func compact(_ seconds: Int64) -> String {
        format(seconds, "%Y%m%dT%H%M%SZ")
    }

    /// `2026-11-25 21:15:42 UTC`, for people.
    public static func readable(_ seconds: Int64) -> String {
        format(seconds, "%Y-%m-%d %H:%M:%S UTC")
    }

    /// `2026-11-25T21:15:42Z`, for logs.
    public static func iso(_ seconds: Int64) -> String {
        format(seconds, "%Y-%m-%dT%H:%M:%SZ")
    }

    /// `Nov 25 21:15:42`, syslog's (RFC 3164) time stamp.
    static func syslog(_ seconds: Int64) -> String {
        format(seconds, "%b %e %H:%M:%S")
    }

    /// The inverse of `compact`.
    public static func parseCompact(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            let digits = bytes[range]
            guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return digits.reduce(0) { $0 * 10 + Int32($1 - 48) }
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Int64(timegm(&parts))
    }

    public static func now() -> Int64 {
        Int64(time(nil))
    }

    /// Seconds on a clock that only moves forward, for timeouts.
    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    private static func format(_ seconds: Int64, _ pattern: String) -> String {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, pattern, &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
