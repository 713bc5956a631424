import CArchive
import Glibc
import SystemPackage

/// Feeds libarchive's read callback. One instance per reader; freed with it.
final class ReadSource {
    /// Opens `archive` for reading from this source. The source must outlive the archive handle.
    func open(_ archive: OpaquePointer) -> Int32 {
        archive_read_open(
            archive, Unmanaged.passUnretained(self).toOpaque(), nil,
            { archive, clientData, buffer -> la_ssize_t in
                let source = Unmanaged<ReadSource>.fromOpaque(clientData!).takeUnretainedValue()
                do {
                    let chunk = try source.nextChunk()
                    buffer?.pointee = chunk.baseAddress.map { UnsafeRawPointer($0) }
                    return la_ssize_t(chunk.count)
                } catch {
                    source.failure = error
                    carchive_set_error(archive, source.failureErrno, "\(error)")
                    return -1
                }
            },
            nil)
    }

    private enum Origin {
        case memory
        case file(descriptor: Int32, next: Int64, end: Int64)
    }

    private var origin: Origin
    private let buffer: UnsafeMutableRawBufferPointer
    private var memoryDelivered = false
    private let memoryCount: Int
    private let retaining: Bool
    private(set) var retained: [UInt8] = []
    private(set) var bytesRead: Int64 = 0
    var observer: ((UnsafeRawBufferPointer) -> Void)?
    var failure: Error?
    var failureErrno: Int32 {
        (failure as? ArchiveError)?.systemErrno ?? EIO
    }

    init(bytes: [UInt8]) {
        buffer = .allocate(byteCount: max(bytes.count, 1), alignment: 16)
        buffer.copyBytes(from: bytes)
        memoryCount = bytes.count
        origin = .memory
        retaining = false
    }

    init(fileDescriptor: Int32, offset: Int64, end: Int64, chunkSize: Int, retaining: Bool) throws {
        guard chunkSize > 0, chunkSize % 512 == 0 else {
            throw ArchiveError.malformed("chunk size \(chunkSize) is not a positive multiple of 512")
        }
        // Aligned so the same buffer serves descriptors opened with O_DIRECT.
        buffer = .allocate(byteCount: chunkSize, alignment: 4096)
        memoryCount = 0
        origin = .file(descriptor: fileDescriptor, next: offset, end: end)
        self.retaining = retaining
    }

    deinit {
        buffer.deallocate()
    }

    func nextChunk() throws -> UnsafeRawBufferPointer {
        switch origin {
        case .memory:
            if memoryDelivered { return UnsafeRawBufferPointer(start: buffer.baseAddress, count: 0) }
            memoryDelivered = true
            bytesRead = Int64(memoryCount)
            return UnsafeRawBufferPointer(start: buffer.baseAddress, count: memoryCount)
        case let .file(descriptor, next, end):
            let wanted = Int(min(Int64(buffer.count), max(0, end - next)))
            if wanted == 0 { return UnsafeRawBufferPointer(start: buffer.baseAddress, count: 0) }
            var filled = 0
            while filled < wanted {
                let count: Int
                do {
                    count = try FileDescriptor(rawValue: descriptor).read(
                        fromAbsoluteOffset: next + Int64(filled),
                        into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<wanted]))
                } catch let error as Errno {
                    throw ArchiveError.io(operation: "cannot read at offset \(next + Int64(filled))", errno: error.rawValue)
                }
                if count == 0 { break }
                filled += count
            }
            origin = .file(descriptor: descriptor, next: next + Int64(filled), end: filled < wanted ? next + Int64(filled) : end)
            bytesRead += Int64(filled)
            let chunk = UnsafeRawBufferPointer(start: buffer.baseAddress, count: filled)
            if retaining { retained.append(contentsOf: chunk) }
            observer?(chunk)
            return chunk
        }
    }
}
