import Foundation
import GRDB

/// How a connection waits for a lock another connection holds.
///
/// SQLite's own busy timeout (`busyMode = .timeout`) sleeps 1, 2, 5, 10, 15,
/// 20, 25… ms between tries, so a lock held for half a millisecond costs its
/// waiter at least 1 ms and a lock held for 3 ms costs 8. The locks here are
/// held that briefly — a SCIM write's transaction, the checkpointer's wait for
/// readers to leave the log — and under a write burst those sleeps would be
/// the writes' tail latency. This polls every 100 µs for the first 10 ms,
/// then every millisecond, and gives up (`SQLITE_BUSY`) after about `seconds`.
enum BusyWait {
    static func mode(seconds: Double) -> Database.BusyMode {
        let fastTries = 100
        let slowTries = Int(seconds * 1000)
        return .callback { tries in
            guard tries < fastTries + slowTries else { return false }
            usleep(tries < fastTries ? 100 : 1000)
            return true
        }
    }
}
