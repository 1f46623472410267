import Foundation

/// Says that a process serves a data directory. `serve`, the console and
/// `setup` hold it shared for as long as they run; `restore`, which replaces
/// the database under them, needs it alone. An advisory `flock` on a file in
/// the data directory, so the kernel lets it go when a process ends however
/// it ends.
public enum ServingLock {
    public static let fileName = "scim-console.serving"

    /// Held shared by this process until it exits.
    nonisolated(unsafe) private static var held: [String: Int32] = [:]
    private static let heldLock = NSLock()

    /// Takes the data directory's lock shared, for this process's lifetime.
    public static func holdWhileServing(dataDirectory: String) {
        heldLock.lock()
        defer { heldLock.unlock() }
        guard held[dataDirectory] == nil else { return }
        let fd = open("\(dataDirectory)/\(fileName)", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_SH)
        held[dataDirectory] = fd
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
