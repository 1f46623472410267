import Foundation

extension StringProtocol {
    /// Whether two names are equal ignoring case, as SCIM compares attribute
    /// names, schema URNs and query parameter names.
    ///
    /// Those are ASCII, and compared byte by byte here; Foundation's
    /// `caseInsensitiveCompare` goes through `NSString` on Linux and was the
    /// largest single cost of parsing a list request's parameters. Anything
    /// with a non-ASCII byte still gets Foundation's full Unicode comparison,
    /// so the answer never differs from it.
    @inlinable
    public func equalsIgnoringCase(_ other: some StringProtocol) -> Bool {
        var a = utf8.makeIterator(), b = other.utf8.makeIterator()
        while true {
            switch (a.next(), b.next()) {
            case (nil, nil): return true
            case let (x?, y?):
                if x | y >= 0x80 { return caseInsensitiveCompare(other) == .orderedSame }
                if x == y { continue }
                // ASCII letters differ only in bit 0x20.
                guard x ^ y == 0x20, (x | 0x20) >= UInt8(ascii: "a"), (x | 0x20) <= UInt8(ascii: "z") else {
                    return false
                }
            case let (x?, nil): return x >= 0x80 && caseInsensitiveCompare(other) == .orderedSame
            case let (nil, y?): return y >= 0x80 && caseInsensitiveCompare(other) == .orderedSame
            }
        }
    }
}
