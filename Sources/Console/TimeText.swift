import Foundation

/// Formats times for tables: seconds ago when recent, else the clock time.
enum TimeText {
    /// The time of day for today's changes, else the date: absolute, so an
    /// idle console need not redraw every second to keep "5s ago" true.
    static func stamp(_ date: Date, now: Date) -> String {
        let day = localParts(date), today = localParts(now)
        let sameDay = day.tm_year == today.tm_year && day.tm_yday == today.tm_yday
        return sameDay ? String(clock(date).prefix(8)) : clock(date, withDate: true)
    }

    // Formatted by hand: a frame formats a time for each of its rows, and
    // `String(format:)` and `Calendar` were a good part of a frame's cost.
    static func clock(_ date: Date, withDate: Bool = false) -> String {
        let parts = localParts(date)
        let ms = Int((date.timeIntervalSince1970 * 1000).truncatingRemainder(dividingBy: 1000))
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if withDate {
            return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min))"
        }
        let milli = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(milli)"
    }

    private static func localParts(_ date: Date) -> tm {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&t, &parts)
        return parts
    }
}
