/// A change written to every OVF_STORE copy in turn, each with its own compare-and-swap.
enum OvfStoreCopies {
    /// Calls `write` for each copy, named by its path; it returns whether it wrote the copy
    /// (false: left as it is).
    /// Once a copy is written, a failure on a later one is `partlyWritten`, naming exactly the
    /// copies written before it, so that the administrator knows which ones to bring in step.
    static func writeEach<Copy>(_ copies: [(path: String, copy: Copy)], _ write: (Copy) throws -> Bool) throws {
        var written: [String] = []
        for (path, copy) in copies {
            do {
                if try write(copy) { written.append(path) }
            } catch let error as HostedEngineError where !written.isEmpty {
                throw HostedEngineError.partlyWritten(written: written, failed: path, error)
            }
        }
    }
}
