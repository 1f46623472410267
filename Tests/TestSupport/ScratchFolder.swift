import Foundation

/// Temporary folders for tests, removed when the test process ends.
///
/// Every folder lives under one root per process,
/// `$TMPDIR/scim-console-tests/<pid>/`, which goes at exit. A closed
/// Directory holds none of its files (`Directory.close`), but most tests
/// leave theirs open to their end, and an endpoint's tasks may still be
/// answering; at exit nothing holds them. A process that was killed cannot
/// remove its root, so the next one removes every root whose process is gone.
public enum ScratchFolder {
    /// A new, empty folder named `prefix-<uuid>`, created.
    public static func make(_ prefix: String) -> String {
        let path = "\(root)/\(prefix)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A path under this process's root that does not exist yet (for code
    /// that must create the folder itself, or must find it missing).
    public static func path(_ prefix: String) -> String {
        "\(root)/\(prefix)-\(UUID().uuidString)"
    }

    /// `$TMPDIR/scim-console-tests`: each process's root is a folder in it named by its pid.
    static let parent = FileManager.default.temporaryDirectory.appendingPathComponent("scim-console-tests").path

    /// This process's root, made on first use (a static `let` is initialised
    /// once, thread-safely), when leftovers are removed and the removal at
    /// exit is registered.
    static let root: String = {
        removeLeftovers()
        let root = "\(parent)/\(getpid())"
        try? FileManager.default.removeItem(atPath: root)  // a reused pid's leftovers
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: "\(ScratchFolder.parent)/\(getpid())") }
        return root
    }()

    /// Removes the roots of processes that no longer run.
    static func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        for name in names {
            guard let pid = pid_t(name), pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: "\(parent)/\(name)")
            }
        }
    }
}
