import Foundation

/// Requests per time bucket over the last few minutes, for the header's
/// sparkline, request rate and error rate.
struct RequestRate {
    static let bucketSeconds = 5.0
    static let bucketCount = 36  // three minutes
    /// How far back the buckets reach.
    static var window: TimeInterval { bucketSeconds * Double(bucketCount) }

    private var totals: [Int: (all: Int, errors: Int)] = [:]

    mutating func record(at date: Date, status: Int) {
        let bucket = Int(date.timeIntervalSince1970 / Self.bucketSeconds)
        var entry = totals[bucket] ?? (0, 0)
        entry.all += 1
        if status >= 400 { entry.errors += 1 }
        totals[bucket] = entry
        if totals.count > Self.bucketCount * 2 {
            let oldest = bucket - Self.bucketCount
            totals = totals.filter { $0.key > oldest }
        }
    }

    /// Requests per second in each bucket, oldest first, ending now.
    func series(now: Date) -> [Double] {
        let current = Int(now.timeIntervalSince1970 / Self.bucketSeconds)
        return ((current - Self.bucketCount + 1)...current).map { Double(totals[$0]?.all ?? 0) / Self.bucketSeconds }
    }

    /// Requests per second over the last two buckets.
    func perSecond(now: Date) -> Double {
        let current = Int(now.timeIntervalSince1970 / Self.bucketSeconds)
        let n = (totals[current]?.all ?? 0) + (totals[current - 1]?.all ?? 0)
        let elapsed = now.timeIntervalSince1970 - Double(current - 1) * Self.bucketSeconds
        return Double(n) / max(1, elapsed)
    }

    /// The share of 4xx/5xx answers in the last minute, or nil without requests.
    func errorRate(now: Date) -> Double? {
        let current = Int(now.timeIntervalSince1970 / Self.bucketSeconds)
        var all = 0, errors = 0
        for b in (current - 11)...current {
            all += totals[b]?.all ?? 0
            errors += totals[b]?.errors ?? 0
        }
        return all == 0 ? nil : Double(errors) / Double(all)
    }
}
