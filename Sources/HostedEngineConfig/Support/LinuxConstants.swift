/// Linux values Swift's Glibc module does not show (they need _GNU_SOURCE).
enum LinuxConstants {
    /// F_OFD_SETLK: the same value on every Linux architecture.
    static let setOpenFileDescriptionLock: Int32 = 37

    /// O_DIRECT differs between architectures.
    #if arch(arm64) || arch(arm)
        static let directIO: Int32 = 0o200000
    #elseif arch(powerpc64le) || arch(powerpc64)
        static let directIO: Int32 = 0o400000
    #else
        static let directIO: Int32 = 0o40000
    #endif
}
