import Directory
import Logging
import ServiceLifecycle

/// Says in the server log when the data directory's disk fills up, how many
/// writes it refused each minute while it stays full, and when it has room
/// again: three kinds of line, never one per request. Also, once, when the
/// background check of a large database found it damaged.
public struct DiskSpaceWatch: Service {
    let directory: Directory
    let logger: Logger
    /// How often the count is said while the disk stays full.
    let reportEvery: Duration
    /// How often the disk's state is looked at (an atomic read).
    let lookEvery: Duration

    public init(_ directory: Directory, logger: Logger, reportEvery: Duration = .seconds(60),
                lookEvery: Duration = .seconds(1)) {
        self.directory = directory
        self.logger = logger
        self.reportEvery = reportEvery
        self.lookEvery = lookEvery
    }

    public func run() async {
        try? await cancelWhenGracefulShutdown { [directory, logger, reportEvery, lookEvery] in
            var report = DiskSpaceReport(reportEvery: reportEvery)
            while true {
                try await Task.sleep(for: lookEvery)
                for line in report.look(at: directory, now: .now) {
                    logger.log(level: line.level, "\(line.text)")
                }
            }
        }
    }
}

/// What the watch has said so far, and the lines one look adds: kept apart
/// from the timer so the rules can be followed step by step.
struct DiskSpaceReport {
    struct Line: Equatable {
        let level: Logger.Level
        let text: String
    }

    let reportEvery: Duration
    private var full = false
    private var damageSaid = false
    private var reported = 0
    private var lastReport = ContinuousClock.now

    init(reportEvery: Duration) {
        self.reportEvery = reportEvery
    }

    mutating func look(at directory: Directory, now: ContinuousClock.Instant) -> [Line] {
        var lines: [Line] = []
        if !damageSaid, directory.damageFound > 0 {
            lines.append(Line(level: .error, text: "The database is damaged (SQLite's quick check found \(directory.damageFound) problems): \(StorageErrorText.damageRemedy)."))
            damageSaid = true
        }
        let diskSpace = directory.diskSpace
        let refused = diskSpace.refusedWrites
        switch (full, diskSpace.isFull) {
        case (false, true):
            lines.append(Line(level: .error, text: "The data directory's disk is full: writes answer 503 (Retry-After) until space is freed there."))
            (full, reported, lastReport) = (true, refused, now)
        case (true, true) where now - lastReport >= reportEvery && refused > reported:
            lines.append(Line(level: .warning, text: "The data directory's disk is still full: \(refused - reported) writes refused since the last report."))
            (reported, lastReport) = (refused, now)
        case (true, false):
            lines.append(Line(level: .notice, text: "The data directory's disk has room again: writes go through (\(refused - reported) more were refused meanwhile)."))
            full = false
        default:
            break
        }
        return lines
    }
}
