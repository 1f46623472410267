/// Query-string parsing that accepts both `%20` and `+` for spaces, since
/// Okta's encoding of `filter` varies, and keeps the last of repeated names.
enum QueryParameters {
    static func parse(_ query: String?) -> [String: String] {
        var result: [String: String] = [:]
        guard let query, !query.isEmpty else { return result }
        // Split on bytes: `&` and `=` are ASCII, and String's own split walks Characters.
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                result[decode(pair[..<equals])] = decode(pair[pair.index(after: equals)...])
            } else {
                result[decode(pair)] = ""
            }
        }
        return result
    }

    static func decode(_ s: Substring.UTF8View) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.count)
        var it = s.makeIterator()
        while let b = it.next() {
            switch b {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let h1 = it.next(), h2 = it.next()
                if let h1, let h2, let high = hexDigit(h1), let low = hexDigit(h2) {
                    bytes.append(high << 4 | low)
                } else {
                    bytes.append(b)
                    if let h1 { bytes.append(h1) }
                    if let h2 { bytes.append(h2) }
                }
            default: bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Not `UInt8(_:radix:)`, which needs a `String` made for each escape.
    private static func hexDigit(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
