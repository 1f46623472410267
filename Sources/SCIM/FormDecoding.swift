/// Query-string text decoded as HTML forms encode it: `+` and `%20` both
/// spaces (Okta's encoding of `filter` varies), `%XX` the byte it names. An
/// escape that is not one (`%` without two hex digits) is kept as it is, and
/// bytes that are not UTF-8 become U+FFFD: a query is read, never refused,
/// here. Used by the endpoint to read parameters and by the console to show
/// and search logged queries.
public enum FormDecoding {
    public static func decode(_ text: String) -> String {
        decode(text[...].utf8)
    }

    public static func decode(_ s: Substring.UTF8View) -> String {
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
