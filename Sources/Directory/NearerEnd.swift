/// Rows `start ..< start + count` of an ordered table of `total` rows, as the
/// `LIMIT`/`OFFSET` to ask for. Past the middle they are asked for in the
/// reverse order and read back reversed: OFFSET steps over every row before
/// the page, so row 90,001 of 100,000 costs 10,000 steps this way, not 90,000.
/// Used by the SCIM lists and the console's windows alike.
package struct NearerEnd: Equatable {
    package var limit: Int
    package var offset: Int
    /// Ask in the opposite order, then reverse what comes back.
    package var reversed: Bool

    package init(start: Int, count: Int, total: Int) {
        guard start > total / 2 else {
            self.init(limit: count, offset: start, reversed: false)
            return
        }
        // Forward rows start..<upper are reverse rows total-upper..<total-start. No
        // `start + count` past the end: a client may send a startIndex near Int.max.
        let upper = start >= total ? total : min(total, start + count)
        self.init(limit: max(0, upper - start), offset: total - upper, reversed: true)
    }

    package init(limit: Int, offset: Int, reversed: Bool) {
        self.limit = limit
        self.offset = offset
        self.reversed = reversed
    }
}
