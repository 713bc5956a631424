import Glibc
import Logging

extension Volume {
    /// How volumes are opened and what a test wants to happen to them. Every call that opens a
    /// volume is given them (through its `VolumeLocator`, or the volume it is handed); the
    /// library keeps none of its own.
    public struct Settings: Sendable {
        public var access: VolumeAccess
        /// Where a volume reached through a link may lie (resolved; block devices may lie under
        /// /dev as well): oVirt's storage folders, and those the locator was pointed at.
        public var storagePlaces = Self.defaultStoragePlaces
        public static let defaultStoragePlaces = ["/rhev/data-center", "/run/vdsm/storage"]
        /// Test only: stop once this many bytes have reached the volume.
        public var crashPoint: CrashPoint?
        /// Test only: exit as a crash would after this step of writing one of this host's files.
        public var crashLocalWriteAfter: InPlaceWriteStep?
        /// Where notices go (recovery, when a change takes effect; stderr for the command line).
        public var report: @Sendable (String) -> Void
        /// What the tool is doing, step by step, at `.info` (`--verbose`); nothing by default.
        public var logger: Logger
        /// Told every byte read from and written to a volume; none by default.
        public var progress: ProgressMeter?
        /// Where the sanlock lease a writer takes with the fcntl lock is, or why there is none;
        /// asked only when a lock is taken, so that reads pay nothing for it.
        public var lease: @Sendable (_ resourceName: String) -> Result<LeaseSettings, LeaseSettings.Unavailable> = { _ in
            .failure(.noLockspaceNamed)
        }
        /// The volume's resource in the lockspace: the configuration volume's by default; an
        /// OVF_STORE's is its own (`LeaseSettings.ovfStoreResourceName`).
        public var leaseResource = LeaseSettings.resourceName
        /// `--without-sanlock`: a block device is written under the fcntl lock alone when there
        /// is no lease to take (said in a warning); without it such a write is refused.
        public var writeWithoutLease = false
        /// Test only: the fcntl lock is taken on a file in this folder instead of on the volume,
        /// so that processes given different folders do not see each other's locks, as two hosts
        /// on block storage do not (`HE_TEST_HOST_LOCK_DIR`).
        public var hostLockDirectory: String?
        /// Test only: a pause between a write's compare and its journal, as slow storage makes
        /// (`HE_TEST_WRITE_DELAY_MS`), so that a test can show what a lock that is not shared loses.
        public var delayAfterCompare: Double = 0

        public init(
            access: VolumeAccess = .caller, crashPoint: CrashPoint? = nil, crashLocalWriteAfter: InPlaceWriteStep? = nil,
            report: @escaping @Sendable (String) -> Void = { _ in },
            logger: Logger = Logger(label: "hosted-engine", factory: { _ in SwiftLogNoOpLogHandler() }), progress: ProgressMeter? = nil
        ) {
            self.progress = progress
            self.access = access
            self.crashPoint = crashPoint
            self.crashLocalWriteAfter = crashLocalWriteAfter
            self.report = report
            self.logger = logger
        }

        /// What a local write is told at each step: exits at the test's crash step.
        public var localWriteCheckpoint: @Sendable (InPlaceWriteStep) -> Void {
            let crash = crashLocalWriteAfter
            return { step in if step == crash { _exit(137) } }
        }
    }
}
