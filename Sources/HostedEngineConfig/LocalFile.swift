import Glibc

/// Small whole-file reads of local files (hosted-engine.conf), without Foundation.
enum LocalFile {
    enum ReadError: Error {
        case system(errno: Int32)
        case tooLarge
    }

    static func read(_ path: String, limit: Int = 1 << 20) throws(ReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system(errno: errno) }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(errno: errno)
            }
            if count == 0 { return result }
            result += chunk[0..<count]
            if result.count > limit { throw .tooLarge }
        }
    }
}
