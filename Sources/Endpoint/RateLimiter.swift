import Crypto
import Foundation
import Synchronization

/// Requests per second per token, as a token bucket (a burst of one
/// second's worth, then the steady rate). Off unless configured. Buckets are
/// keyed by a digest of the bearer token, so no secret is held here.
final class RateLimiter: Sendable {
    let perSecond: Double
    private struct Bucket { var tokens: Double; var updated: Double }
    private let buckets = Mutex<[[UInt8]: Bucket]>([:])

    init(perSecond: Double) { self.perSecond = perSecond }

    /// Takes one request from the token's bucket: nil when allowed, else the
    /// whole seconds to wait (at least 1), for `Retry-After`.
    func take(bearer: String, now: Double = ProcessInfo.processInfo.systemUptime) -> Int? {
        let key = Array(SHA256.hash(data: Data(bearer.utf8)))
        let rate = perSecond
        let capacity = max(1, rate)
        return buckets.withLock { buckets -> Int? in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            var wait: Int?
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
            } else {
                wait = max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
            }
            buckets[key] = bucket
            return wait
        }
    }
}
