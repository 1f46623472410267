import Foundation

/// The order a person expects of names, as a key compared byte by byte:
/// case and accents ignored (`Zoë` sorts as `zoe`, `Łukasz` as `lukasz`),
/// so SQLite can keep it in an index. Letters that are not a base letter
/// plus a mark (ł, ø, ß, æ…) are spelled as their usual Latin letters;
/// other scripts keep their own order, after the Latin letters.
enum PersonSortKey {
    static let spelled: [Unicode.Scalar: String] = [
        "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i", "ħ": "h",
        "ŋ": "n", "ŧ": "t", "ĸ": "k",
    ]

    static func of(_ name: String) -> String {
        // Most names are ASCII: lowercased, they are their own key, with no decomposition to make.
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return String(decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self) }
        var key = String.UnicodeScalarView()
        for scalar in name.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            // Combining marks (the accents a decomposition splits off) do not order names.
            if (0x0300...0x036F).contains(scalar.value) { continue }
            if let letters = spelled[scalar] { key.append(contentsOf: letters.unicodeScalars) } else { key.append(scalar) }
        }
        return String(key)
    }
}
