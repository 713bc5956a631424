/// The steps of `LocalFile.writeAtomically`, in order: a crash after any of them leaves the old
/// file or the new one at the path, never a mix.
public enum AtomicWriteStep: String, Sendable, CaseIterable {
    /// The temporary file beside the target exists, empty.
    case temporaryCreated = "temporary-created"
    /// Half of the new bytes are in the temporary file.
    case partlyWritten = "partly-written"
    /// All of them are, not yet fsynced.
    case written
    /// The temporary file is fsynced and closed.
    case synchronized
    /// It was renamed over the target; the folder is not yet fsynced.
    case renamed
}
