import Foundation
import GRDB
import Testing
import TestSupport
@testable import Directory

/// `BusyWait` polls for a lock (how often is a figure for `bench.sh`, not a
/// test), takes it once it is free, and gives up after its limit.
@Suite("Busy wait")
struct BusyWaitTests {
    static func queue(_ path: String, seconds: Double) throws -> DatabaseQueue {
        var config = Configuration()
        config.busyMode = BusyWait.mode(seconds: seconds)
        return try DatabaseQueue(path: path, configuration: config)
    }

    /// Holds the write lock on `holder` for `seconds`, then tries a write on `waiter` while it is held.
    static func write(_ waiter: DatabaseQueue, whileHolding holder: DatabaseQueue, for seconds: Double) throws -> Duration {
        let held = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? holder.write { db in
                try db.execute(sql: "UPDATE counts SET n = n WHERE name = 'users'")
                held.signal()
                Thread.sleep(forTimeInterval: seconds)
            }
            done.signal()
        }
        held.wait()
        defer { done.wait() }
        let start = ContinuousClock.now
        try waiter.write { db in try db.execute(sql: "UPDATE counts SET n = n WHERE name = 'groups'") }
        return ContinuousClock.now - start
    }

    @Test func takesTheLockWhenFreedAndGivesUpAfterItsLimit() throws {
        let directory = try makeDirectory()
        let holder = try Self.queue(directory.path, seconds: 1)
        let waiter = try Self.queue(directory.path, seconds: 0.3)
        let waited = try Self.write(waiter, whileHolding: holder, for: 0.05)
        #expect(waited >= .milliseconds(40), "it waited for the lock (\(waited))")

        let start = ContinuousClock.now
        #expect {
            _ = try Self.write(waiter, whileHolding: holder, for: 1.5)
        } throws: { ($0 as? DatabaseError)?.resultCode == .SQLITE_BUSY }
        let gaveUp = ContinuousClock.now - start
        #expect(gaveUp >= .milliseconds(250), "gave up after \(gaveUp), before its limit")
    }
}
