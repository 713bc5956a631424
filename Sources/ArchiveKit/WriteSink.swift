import CArchive
import Glibc
import SystemPackage

/// Receives libarchive's output.
final class WriteSink {
    /// Opens `archive` for writing into this sink. The sink must outlive the archive handle.
    func open(_ archive: OpaquePointer) -> Int32 {
        archive_write_open(
            archive, Unmanaged.passUnretained(self).toOpaque(), nil,
            { archive, clientData, buffer, length -> la_ssize_t in
                let sink = Unmanaged<WriteSink>.fromOpaque(clientData!).takeUnretainedValue()
                do {
                    try sink.write(UnsafeRawBufferPointer(start: buffer, count: length))
                    return la_ssize_t(length)
                } catch {
                    sink.failure = error
                    let code = (error as? ArchiveError)?.systemErrno ?? EIO
                    carchive_set_error(archive, code, "\(error)")
                    return -1
                }
            }, nil)
    }

    private let descriptor: Int32?
    private(set) var collected: [UInt8] = []
    var failure: Error?

    init(descriptor: Int32?) {
        self.descriptor = descriptor
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let descriptor else {
            collected.append(contentsOf: bytes)
            return
        }
        do {
            _ = try FileDescriptor(rawValue: descriptor).writeAll(bytes)
        } catch let error as Errno {
            throw ArchiveError.io(operation: "cannot write the tar stream", errno: error.rawValue)
        }
    }
}
