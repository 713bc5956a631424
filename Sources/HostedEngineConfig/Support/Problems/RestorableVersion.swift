/// A version of the shared history that can be restored, named in advice after damage.
public struct RestorableVersion: Equatable, Sendable {
    /// As `--history` shows it: `v17`.
    public let id: String
    public let time: Int64

    public init(id: String, time: Int64) {
        self.id = id
        self.time = time
    }
}
