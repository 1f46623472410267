/// JSON, pretty-printed and coloured by role: keys as titles, strings ok,
/// numbers warn, `true`/`false`/`null` as key hints.
///
/// The text is re-indented token by token, never parsed into values and
/// written again, so the pane shows what was sent: members in their order,
/// strings with their escapes, numbers as spelled. It is also fast enough
/// for a frame when the selection lands on a 100-user list page (54 KB),
/// which parsing and writing again through `JSONSerialization` is not.
public enum JSONHighlighter {
    /// Lines for `text`: pretty-printed and coloured if it is JSON, else as
    /// it is. JSON cut short (a logged body past its size limit) is
    /// pretty-printed as far as it goes; the rest follows, dimmed, as sent.
    public static func lines(_ text: String) -> [StyledLine] {
        guard !text.isEmpty else { return [] }
        var text = text
        let printed = text.withUTF8 { bytes in
            var printer = JSONPrettyPrinter(bytes)
            return printer.run()
        }
        return printed ?? text.split(separator: "\n", omittingEmptySubsequences: false).map { StyledLine(String($0)) }
    }
}

/// The state of one pretty-printing pass over JSON text.
struct JSONPrettyPrinter {
    /// Deeper nesting is shown as sent (and keeps the recursion bounded).
    static let maxDepth = 200

    private struct Malformed: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var at = 0
    /// Where the last whole token ended: on malformed input, the text from
    /// here is shown as it is.
    private var lastToken = 0
    private var depth = 0
    private var lines: [StyledLine] = []
    private var spans: [Span] = []
    /// Indentation and punctuation not yet made a span.
    private var plain: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // A line of pretty-printed SCIM is about 20 bytes of its text, and few lines have
        // more than four spans: reserved once, not grown.
        lines.reserveCapacity(bytes.count / 16)
        spans.reserveCapacity(Self.spansPerLine)
    }

    private static let spansPerLine = 6

    /// The lines, or nil when the text does not begin as JSON at all.
    mutating func run() -> [StyledLine]? {
        do {
            try value()
            skipSpace()
            if at < bytes.count { throw Malformed() }
            endLine()
            return lines
        } catch {
            guard lastToken > 0 else { return nil }
            // JSON as far as it is well formed, then the rest as sent, its first line
            // carrying on the current one: a logged body cut at its size limit ends in
            // the middle of a token.
            for (n, line) in bytes[lastToken...].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                .enumerated() {
                if n > 0 { endLine() }
                if !line.isEmpty { emit(line, Style(.dim)) }
            }
            endLine()
            return lines
        }
    }

    // MARK: grammar

    private mutating func value() throws {
        skipSpace()
        guard at < bytes.count else { throw Malformed() }
        switch bytes[at] {
        case UInt8(ascii: "{"): try container(close: UInt8(ascii: "}"), keyed: true)
        case UInt8(ascii: "["): try container(close: UInt8(ascii: "]"), keyed: false)
        case UInt8(ascii: "\""): try string(Style(.ok))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): number()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: throw Malformed()
        }
    }

    /// An object (`keyed`) or an array, one member or element to a line.
    private mutating func container(close: UInt8, keyed: Bool) throws {
        guard depth < Self.maxDepth else { throw Malformed() }
        plain.append(bytes[at])
        at += 1
        lastToken = at
        skipSpace()
        if at < bytes.count, bytes[at] == close {
            plain.append(close)
            at += 1
            lastToken = at
            return
        }
        depth += 1
        while true {
            newLine()
            if keyed {
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw Malformed() }
                try string(Style(.title))
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw Malformed() }
                plain.append(contentsOf: ": ".utf8)
                at += 1
                lastToken = at
            }
            try value()
            skipSpace()
            guard at < bytes.count else { throw Malformed() }
            if bytes[at] == UInt8(ascii: ",") {
                plain.append(UInt8(ascii: ","))
                at += 1
                lastToken = at
                continue
            }
            guard bytes[at] == close else { throw Malformed() }
            depth -= 1
            newLine()
            plain.append(close)
            at += 1
            lastToken = at
            return
        }
    }

    private mutating func string(_ style: Style) throws {
        var end = at + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
            // A raw control character (a line break) is not JSON, and would break the lines.
            guard bytes[end] >= 0x20 else { throw Malformed() }
            end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard end < bytes.count else { throw Malformed() }
        token(upTo: end + 1, style)
    }

    /// Digits, sign, point and exponent, as spelled.
    private mutating func number() {
        var end = at + 1
        while end < bytes.count, Self.isNumberByte(bytes[end]) { end += 1 }
        token(upTo: end, Style(.warn))
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
             UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard at + count <= bytes.count,
              UnsafeBufferPointer(start: word.utf8Start, count: count).elementsEqual(bytes[at..<(at + count)])
        else { throw Malformed() }
        token(upTo: at + count, Style(.keyHint))
    }

    // MARK: output

    private mutating func token(upTo end: Int, _ style: Style) {
        emit(bytes[at..<end], style)
        at = end
        lastToken = end
    }

    private mutating func emit(_ text: Slice<UnsafeBufferPointer<UInt8>>, _ style: Style) {
        flushPlain()
        spans.append(Span(String(decoding: text, as: UTF8.self), style))
    }

    private mutating func flushPlain() {
        guard !plain.isEmpty else { return }
        spans.append(Span(String(decoding: plain, as: UTF8.self)))
        plain.removeAll(keepingCapacity: true)
    }

    private mutating func endLine() {
        flushPlain()
        lines.append(StyledLine(spans))
        spans = []
        spans.reserveCapacity(Self.spansPerLine)
    }

    /// Ends the line and indents the next one.
    private mutating func newLine() {
        endLine()
        plain.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    private mutating func skipSpace() {
        while at < bytes.count, Self.isSpace(bytes[at]) { at += 1 }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
}
