/// The fuzz target's judge of acceptance: RFC 8259's grammar, written
/// straight from §2–§8 and nothing else (no tree, no numbers' values), so
/// it shares no code or leniency with the parser it judges. It allows what
/// the RFC lets a parser allow: a leading UTF-8 byte order mark (§8.1).
/// Nesting deeper than `maxDepth` is refused, as the parser refuses it.
enum StrictJSON {
    static let maxDepth = 512

    static func accepts(_ bytes: [UInt8]) -> Bool {
        var r = Recognizer(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { r.i = 3 }
        r.ws()
        guard r.value(depth: 0) else { return false }
        r.ws()
        return r.i == bytes.count
    }

    struct Recognizer {
        let bytes: [UInt8]
        var i = 0

        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func ws() {
            while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1 }
        }

        mutating func eat(_ b: UInt8) -> Bool {
            guard peek == b else { return false }
            i += 1
            return true
        }

        mutating func value(depth: Int) -> Bool {
            switch peek {
            case UInt8(ascii: "{"): return depth < StrictJSON.maxDepth && object(depth: depth + 1)
            case UInt8(ascii: "["): return depth < StrictJSON.maxDepth && array(depth: depth + 1)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return word("true")
            case UInt8(ascii: "f"): return word("false")
            case UInt8(ascii: "n"): return word("null")
            default: return number()
            }
        }

        mutating func word(_ w: String) -> Bool {
            for b in w.utf8 where !eat(b) { return false }
            return true
        }

        // object = { [ member *( , member ) ] }
        mutating func object(depth: Int) -> Bool {
            i += 1
            ws()
            if eat(UInt8(ascii: "}")) { return true }
            while true {
                ws()
                guard string() else { return false }
                ws()
                guard eat(UInt8(ascii: ":")) else { return false }
                ws()
                guard value(depth: depth) else { return false }
                ws()
                if eat(UInt8(ascii: ",")) { continue }
                return eat(UInt8(ascii: "}"))
            }
        }

        // array = [ [ value *( , value ) ] ]
        mutating func array(depth: Int) -> Bool {
            i += 1
            ws()
            if eat(UInt8(ascii: "]")) { return true }
            while true {
                ws()
                guard value(depth: depth) else { return false }
                ws()
                if eat(UInt8(ascii: ",")) { continue }
                return eat(UInt8(ascii: "]"))
            }
        }

        func digit(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }

        // number = [ - ] int [ frac ] [ exp ], and finite as a double (the parser's range).
        mutating func number() -> Bool {
            let start = i
            _ = eat(UInt8(ascii: "-"))
            if eat(UInt8(ascii: "0")) {
                if digit(peek) { return false }
            } else {
                guard digit(peek) else { return false }
                while digit(peek) { i += 1 }
            }
            if eat(UInt8(ascii: ".")) {
                guard digit(peek) else { return false }
                while digit(peek) { i += 1 }
            }
            if eat(UInt8(ascii: "e")) || eat(UInt8(ascii: "E")) {
                if !eat(UInt8(ascii: "+")) { _ = eat(UInt8(ascii: "-")) }
                guard digit(peek) else { return false }
                while digit(peek) { i += 1 }
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            return Double(text)?.isFinite == true
        }

        // string = " *char " with the escapes of §7, UTF-8 throughout (§8.1), and surrogates paired.
        mutating func string() -> Bool {
            guard eat(UInt8(ascii: "\"")) else { return false }
            var text: [UInt8] = []
            while let b = peek {
                i += 1
                switch b {
                case UInt8(ascii: "\""):
                    return String(validating: text, as: UTF8.self) != nil
                case UInt8(ascii: "\\"):
                    guard let e = peek else { return false }
                    i += 1
                    if "\"\\/bfnrt".utf8.contains(e) { text.append(0x20); continue }
                    guard e == UInt8(ascii: "u"), let unit = hex4() else { return false }
                    if (0xDC00...0xDFFF).contains(unit) { return false }
                    if (0xD800...0xDBFF).contains(unit) {
                        guard eat(UInt8(ascii: "\\")), eat(UInt8(ascii: "u")), let low = hex4(),
                            (0xDC00...0xDFFF).contains(low) else { return false }
                    }
                    text.append(0x20)
                case 0x00..<0x20:
                    return false
                default:
                    text.append(b)
                }
            }
            return false
        }

        mutating func hex4() -> Int? {
            guard i + 4 <= bytes.count, let n = Int(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16),
                bytes[i..<i + 4].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else { return nil }
            i += 4
            return n
        }
    }
}
