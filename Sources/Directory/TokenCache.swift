import Foundation
import Synchronization

/// Remembers tokens already verified, so a valid token costs no PBKDF2
/// derivation and no database read per request.
///
/// An entry is trusted while the `CredentialsEpoch` stamp it was checked under
/// is unchanged (any process that revokes a token or removes an account
/// rewrites it) and for at most `maximumAge` — the bound should a revoking
/// process die between its commit and its stamp. Expiry is checked against
/// the entry's own `expires` on every use. Whoever adds a way to disable an
/// account or change a role must bump the epoch too.
final class TokenCache: Sendable {
    struct Entry: Sendable {
        var tokenID: Int64
        var account: ServiceAccount
        var expires: Double?
        var epoch: UInt64
        var checkedAt: ContinuousClock.Instant
    }

    static let maximumAge: Duration = .seconds(10)

    private let entries = Mutex<[String: Entry]>([:])
    /// Bounded so a stream of distinct valid tokens cannot grow memory without limit.
    private let capacity = 10_000

    func entry(for digest: String) -> Entry? {
        entries.withLock { $0[digest] }
    }

    func remember(_ digest: String, _ entry: Entry) {
        entries.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[digest] = entry
        }
    }

    func forget(tokenID: Int64) {
        entries.withLock { cache in cache = cache.filter { $0.value.tokenID != tokenID } }
    }
}
