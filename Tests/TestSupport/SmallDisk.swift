import Foundation

/// A small tmpfs mounted for a test (root only: CI runs as root), to run a
/// data directory out of space for real, then give the space back.
public final class SmallDisk: Sendable {
    /// Where it is mounted.
    public let path: String
    private var filler: String { "\(path)/filler" }

    /// Mounts a tmpfs of `mebibytes` in a scratch folder; nil when it cannot (not root).
    public init?(mebibytes: Int) {
        path = ScratchFolder.make("tmpfs")
        guard getuid() == 0, Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(mebibytes)m", "tmpfs", path]) == 0 else {
            return nil
        }
    }

    /// Fills it but for `leaving` bytes.
    public func fill(leaving: Int) throws {
        var fs = statvfs()
        guard statvfs(path, &fs) == 0 else { throw CocoaError(.fileReadUnknown) }
        let free = Int(fs.f_bavail) * Int(fs.f_frsize)
        guard FileManager.default.createFile(atPath: filler, contents: Data(count: max(0, free - leaving))) else {
            throw CocoaError(.fileWriteOutOfSpace)
        }
    }

    /// Gives back what `fill` took.
    public func free() throws {
        try FileManager.default.removeItem(atPath: filler)
    }

    /// Unmounts it (lazily: a process may still hold a file there).
    public func unmount() {
        _ = Self.run("/bin/umount", ["-l", path])
    }

    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
