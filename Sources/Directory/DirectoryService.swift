import ServiceLifecycle

/// A Directory's background work as a service of a `ServiceGroup`: while the
/// group runs, the WAL checkpointers of the Directory's file and of its
/// request log (`WALCheckpointer`); when the group shuts down, gracefully or
/// by cancellation, the checkpointers stop and the Directory is closed
/// (`Directory.close`: queued writes and exchanges are written first).
///
/// A group shuts its services down in the reverse of their order, so this
/// goes before the endpoint that uses the Directory: the endpoint stops
/// serving first, then the Directory finishes and closes. (Hummingbird runs
/// an application's added services before its server: `addServices`.)
public struct DirectoryService: Service {
    public let directory: Directory

    public init(_ directory: Directory) {
        self.directory = directory
    }

    public func run() async throws {
        let pool = directory.blockingWork
        await withTaskGroup(of: Void.self) { group in
            for checkpointer in directory.checkpointers {
                group.addTask { await checkpointer.run(on: pool) }
            }
        }
        try directory.close()
    }
}
