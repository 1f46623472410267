import Synchronization

/// Remembers which presented tokens were already verified, so a valid token
/// costs no PBKDF2 derivation per request. The cache maps a SHA-256 of the
/// token to its row id; the row is still read on every request (a primary-key
/// lookup), so a revocation — even by another process — is honoured at once.
final class TokenCache: Sendable {
    private let entries = Mutex<[String: Int64]>([:])
    /// Bounded so a stream of distinct valid tokens cannot grow memory without limit.
    private let capacity = 10_000

    func tokenID(for digest: String) -> Int64? {
        entries.withLock { $0[digest] }
    }

    func remember(_ digest: String, tokenID: Int64) {
        entries.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[digest] = tokenID
        }
    }

    func forget(tokenID: Int64) {
        entries.withLock { cache in cache = cache.filter { $0.value != tokenID } }
    }
}
