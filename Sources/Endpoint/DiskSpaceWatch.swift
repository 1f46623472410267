import Directory
import Logging
import ServiceLifecycle

/// Says in the server log when the data directory's disk fills up, how many
/// writes it refused each minute while it stays full, and when it has room
/// again: three kinds of line, never one per request. Also, once, when the
/// background check of a large database found it damaged.
public struct DiskSpaceWatch: Service {
    let diskSpace: DiskSpace
    let directory: Directory
    let logger: Logger
    /// How often the count is said while the disk stays full.
    let reportEvery: Duration
    /// How often the disk's state is looked at (an atomic read).
    let lookEvery: Duration

    public init(_ directory: Directory, logger: Logger, reportEvery: Duration = .seconds(60),
                lookEvery: Duration = .seconds(1)) {
        diskSpace = directory.diskSpace
        self.directory = directory
        self.logger = logger
        self.reportEvery = reportEvery
        self.lookEvery = lookEvery
    }

    public func run() async {
        try? await cancelWhenGracefulShutdown { [diskSpace, directory, logger, reportEvery, lookEvery] in
            var full = false
            var damageSaid = false
            var reported = 0
            var lastReport = ContinuousClock.now
            while true {
                try await Task.sleep(for: lookEvery)
                let now = ContinuousClock.now
                if !damageSaid, directory.damageFound > 0 {
                    logger.error("The database is damaged (SQLite's quick check found \(directory.damageFound) problems): stop serving, then restore the last backup (scim-console restore --from FILE).")
                    damageSaid = true
                }
                let refused = diskSpace.refusedWrites
                switch (full, diskSpace.isFull) {
                case (false, true):
                    logger.error("The data directory's disk is full: writes answer 503 (Retry-After) until space is freed there.")
                    (full, reported, lastReport) = (true, refused, now)
                case (true, true) where now - lastReport >= reportEvery && refused > reported:
                    logger.warning("The data directory's disk is still full: \(refused - reported) writes refused since the last report.")
                    (reported, lastReport) = (refused, now)
                case (true, false):
                    logger.notice("The data directory's disk has room again: writes go through (\(refused - reported) more were refused meanwhile).")
                    full = false
                default:
                    break
                }
            }
        }
    }
}
