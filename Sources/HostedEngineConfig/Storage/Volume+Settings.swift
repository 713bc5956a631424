extension Volume {
    /// How volumes are opened and what a test wants to happen to them. Every call that opens a
    /// volume is given them (through its `VolumeLocator`, or the volume it is handed); the
    /// library keeps none of its own.
    public struct Settings: Sendable {
        public var access: VolumeAccess
        /// Test only: stop once this many bytes have reached the volume.
        public var crashPoint: CrashPoint?
        /// Where notices about recovery go (stderr for the command line).
        public var report: @Sendable (String) -> Void

        public init(access: VolumeAccess = .caller, crashPoint: CrashPoint? = nil, report: @escaping @Sendable (String) -> Void = { _ in })
        {
            self.access = access
            self.crashPoint = crashPoint
            self.report = report
        }
    }
}
