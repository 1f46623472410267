import Foundation
import Synchronization

/// Says that a process serves a data directory. `serve`, the console and
/// `setup` hold it shared for as long as they run; `restore`, which replaces
/// the database under them, needs it alone. An advisory `flock` on a file in
/// the data directory, so the kernel lets it go when a process ends however
/// it ends.
public enum ServingLock {
    public static let fileName = "scim-console.serving"

    /// The data directories this process holds shared, until it exits.
    private static let held = Mutex<Set<String>>([])

    /// Takes the data directory's lock shared, for this process's lifetime.
    public static func holdWhileServing(dataDirectory: String) {
        held.withLock { held in
            guard !held.contains(dataDirectory) else { return }
            // Never closed: the kernel lets the lock go when the process ends.
            let fd = open("\(dataDirectory)/\(fileName)", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return }
            _ = flock(fd, LOCK_SH)
            held.insert(dataDirectory)
        }
    }

    /// Runs `body` holding the data directory's lock alone, so nothing starts
    /// serving meanwhile; nil, without running it, when something serves it now.
    public static func unlessServed<T>(dataDirectory: String, _ body: () throws -> T) throws -> T? {
        let fd = open("\(dataDirectory)/\(fileName)", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return nil }
        return try body()
    }
}
