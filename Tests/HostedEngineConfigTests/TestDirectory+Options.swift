import HostedEngineConfig
import TestSupport

extension TemporaryDirectory {
    /// Backups of this test's writes, in its own directory.
    var backups: BackupStore { BackupStore(directory: file("backups")) }

    func options(lockTimeout: Double = 30, allowLargeArchive: Bool = false) -> SharedConfig.WriteOptions {
        SharedConfig.WriteOptions(backups: backups, lockTimeout: lockTimeout, allowLargeArchive: allowLargeArchive)
    }
}
