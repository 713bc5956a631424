import Glibc
import HostedEngineConfig

/// Asks on the terminal before a change that needs confirming is written; anything but yes is no.
enum Confirmation {
    @Sendable static func ask(_ change: String) -> Bool {
        print(change)
        print("Write this change? [y/N] ", terminator: "")
        fflush(nil)
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.filter { $0 != " " && $0 != "\t" }.lowercased())
    }
}
