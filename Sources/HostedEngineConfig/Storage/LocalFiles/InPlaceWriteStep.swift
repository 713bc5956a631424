/// The steps of writing one of this host's files in place (`LocalConfigFile.update`), in order.
/// A crash after any of them leaves the old file, the new one, or one that the record beside it
/// lets the next command complete.
public enum InPlaceWriteStep: String, Sendable, CaseIterable {
    /// The record of the write (old and new bytes) is beside the file, fsynced; the file is untouched.
    case recordWritten = "record-written"
    /// Half of the new bytes are written over the file's start: a torn file, completable.
    case partlyWritten = "partly-written"
    /// All of them are, not yet truncated or fsynced.
    case written
    /// The file is truncated to the new length and fsynced; the record is still there.
    case synchronized
}
