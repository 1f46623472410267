import JSONTokens

/// JSON, pretty-printed and coloured by role: keys as titles, strings ok,
/// numbers warn, `true`/`false`/`null` as key hints.
///
/// The text is re-indented token by token (`JSONLexer`), never parsed into values and
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

    private var lexer: JSONLexer
    private var bytes: UnsafeBufferPointer<UInt8> { lexer.bytes }
    private var at: Int {
        get { lexer.index }
        set { lexer.index = newValue }
    }
    /// Where the last whole token ended: on malformed input, the text from
    /// here is shown as it is.
    private var lastToken = 0
    private var depth = 0
    private var lines: [StyledLine] = []
    private var spans: [Span] = []
    /// Indentation and punctuation not yet made a span.
    private var plain: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        lexer = JSONLexer(bytes)
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
        default:
            switch try nextToken() {
            case .string: token(Style(.ok))
            case .number: token(Style(.warn))
            case .true, .false, .null: token(Style(.keyHint))
            default: throw Malformed()
            }
        }
    }

    /// The lexer's next token; text that is not JSON is `Malformed`.
    private mutating func nextToken() throws -> JSONLexer.Token {
        do { return try lexer.next() } catch { throw Malformed() }
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
                guard case .string = try nextToken() else { throw Malformed() }
                token(Style(.title))
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

    // MARK: output

    /// Shows the token the lexer just read.
    private mutating func token(_ style: Style) {
        emit(bytes[lexer.tokenStart..<at], style)
        lastToken = at
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
        lexer.skipWhitespace()
    }
}
