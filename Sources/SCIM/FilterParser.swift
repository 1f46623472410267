/// A recursive-descent parser for the filter grammar of RFC 7644 §3.4.2.2,
/// with the precedence the RFC gives: `not` binds tightest, then `and`, then `or`.
struct FilterParser {
    enum Token: Equatable {
        case open, close, openBracket, closeBracket
        case string(String)
        case word(String)
        case end
    }

    let text: String
    private var tokens: [(token: Token, offset: Int)] = []
    private var index = 0
    /// How deep parentheses, `not` and `[…]` nest here; bounded so a hostile
    /// filter cannot exhaust the stack of this recursive-descent parser.
    private var depth = 0
    private var tokenizeError: SCIMError?

    init(text: String) {
        self.text = text
        do { tokens = try Self.tokenize(text) } catch { tokenizeError = error }
    }

    mutating func parseWholeFilter() throws(SCIMError) -> Filter {
        if let tokenizeError { throw tokenizeError }
        if case .end = peek { throw failure("the filter is empty") }
        let filter = try parseOr()
        guard case .end = peek else { throw failure("unexpected \(describe(peek))") }
        return filter
    }

    /// Parses a PATCH path: `attrPath`, `attrPath[filter]`, `attrPath[filter].sub`.
    mutating func parsePatchPath() throws(SCIMError) -> PatchPath {
        if let tokenizeError { throw SCIMError.invalidPath(tokenizeError.detail) }
        do throws(SCIMError) {
            guard case .word(let word) = peek else { throw failure("expected an attribute path") }
            // A PATCH path may name a whole extension (`urn:…:enterprise:2.0:User`).
            guard let path = AttributePath.parse(word), !path.attribute.isEmpty || path.schema != nil else {
                throw failure("\"\(word)\" is not an attribute path")
            }
            advance()
            var filter: Filter?
            var sub: String?
            if peek == .openBracket {
                advance()
                filter = try parseOr()
                try expect(.closeBracket, "]")
                if case .word(let w) = peek, w.hasPrefix(".") {
                    let name = String(w.dropFirst())
                    guard AttributePath.isName(Substring(name)) else { throw failure("\"\(w)\" is not a sub-attribute") }
                    sub = name
                    advance()
                }
            }
            guard case .end = peek else { throw failure("unexpected \(describe(peek))") }
            return PatchPath(attribute: path, filter: filter, subAttribute: sub)
        } catch {
            throw SCIMError.invalidPath(error.detail.replacingOccurrences(of: "Invalid filter", with: "Invalid path"))
        }
    }

    // MARK: grammar

    private mutating func parseOr() throws(SCIMError) -> Filter {
        var left = try parseAnd()
        while isKeyword("or") {
            advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(SCIMError) -> Filter {
        var left = try parseUnary()
        while isKeyword("and") {
            advance()
            left = .and(left, try parseUnary())
        }
        return left
    }

    private mutating func parseUnary() throws(SCIMError) -> Filter {
        if isKeyword("not") {
            advance()
            guard peek == .open else { throw failure("\"not\" must be followed by \"(\"") }
            advance()
            try enter()
            let inner = try parseOr()
            try expect(.close, ")")
            depth -= 1
            return .not(inner)
        }
        if peek == .open {
            advance()
            try enter()
            let inner = try parseOr()
            try expect(.close, ")")
            depth -= 1
            return inner
        }
        return try parseAttributeExpression()
    }

    private mutating func enter() throws(SCIMError) {
        depth += 1
        if depth > Filter.maxDepth { throw failure("the filter nests deeper than \(Filter.maxDepth) levels") }
    }

    private mutating func parseAttributeExpression() throws(SCIMError) -> Filter {
        guard case .word(let word) = peek else {
            throw failure("expected an attribute name but found \(describe(peek))")
        }
        let path = try attributePath(word)
        advance()
        if peek == .openBracket {
            advance()
            try enter()
            let inner = try parseOr()
            try expect(.closeBracket, "]")
            depth -= 1
            // Not in the RFC grammar but sent by real clients: `emails[type eq "work"].value eq "x"`.
            if case .word(let w) = peek, w.hasPrefix(".") {
                advance()
                let sub = AttributePath(attribute: String(w.dropFirst()))
                guard AttributePath.isName(Substring(sub.attribute)) else {
                    throw failure("\"\(w)\" is not a sub-attribute")
                }
                return .valuePath(path, .and(inner, try parseOperator(for: sub)))
            }
            return .valuePath(path, inner)
        }
        return try parseOperator(for: path)
    }

    private mutating func parseOperator(for path: AttributePath) throws(SCIMError) -> Filter {
        guard case .word(let opWord) = peek else {
            throw failure("expected an operator after \"\(path)\" but found \(describe(peek))")
        }
        let lowered = opWord.lowercased()
        if lowered == "pr" {
            advance()
            return .present(path)
        }
        guard let op = ComparisonOperator(rawValue: lowered) else {
            throw failure("\"\(opWord)\" is not an operator (use eq, ne, co, sw, ew, gt, ge, lt, le or pr)")
        }
        advance()
        let value = try parseValue(after: opWord)
        return .compare(path, op, value)
    }

    private mutating func parseValue(after op: String) throws(SCIMError) -> JSONValue {
        switch peek {
        case .string(let s):
            advance()
            return .string(s)
        case .word(let w):
            let value: JSONValue
            switch w.lowercased() {
            case "true": value = .bool(true)
            case "false": value = .bool(false)
            case "null": value = .null
            default:
                guard let n = Double(w), w.first != "+" else {
                    throw failure("\"\(w)\" is not a value; strings must be in double quotes")
                }
                value = .number(n)
            }
            advance()
            return value
        default:
            throw failure("expected a value after \"\(op)\" but found \(describe(peek))")
        }
    }

    // MARK: tokens

    private var peek: Token { index < tokens.count ? tokens[index].token : .end }
    private var offset: Int { index < tokens.count ? tokens[index].offset : text.count }
    private mutating func advance() { index += 1 }

    private func isKeyword(_ k: String) -> Bool {
        if case .word(let w) = peek { return w.lowercased() == k }
        return false
    }

    private mutating func expect(_ token: Token, _ shown: String) throws(SCIMError) {
        guard peek == token else { throw failure("expected \"\(shown)\" but found \(describe(peek))") }
        advance()
    }

    private func attributePath(_ word: String) throws(SCIMError) -> AttributePath {
        guard let path = AttributePath.parse(word), !path.attribute.isEmpty else {
            throw failure("\"\(word)\" is not an attribute path")
        }
        return path
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .open: return "\"(\""
        case .close: return "\")\""
        case .openBracket: return "\"[\""
        case .closeBracket: return "\"]\""
        case .string(let s): return "the string \"\(s)\""
        case .word(let w): return "\"\(w)\""
        case .end: return "the end of the filter"
        }
    }

    private func failure(_ what: String) -> SCIMError {
        .invalidFilter("Invalid filter at character \(offset + 1): \(what). Filter: \(text)")
    }

    static func tokenize(_ text: String) throws(SCIMError) -> [(token: Token, offset: Int)] {
        var result: [(token: Token, offset: Int)] = []
        // Unicode scalars, not Characters: grapheme breaking cost more than the rest of
        // the parse, and a quote followed by a combining mark still closes a string.
        let chars = Array(text.unicodeScalars)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case " ", "\t", "\n", "\r":
                i += 1
            case "(": result.append((.open, i)); i += 1
            case ")": result.append((.close, i)); i += 1
            case "[": result.append((.openBracket, i)); i += 1
            case "]": result.append((.closeBracket, i)); i += 1
            case "\"":
                let start = i
                i += 1
                var s = String.UnicodeScalarView()
                var closed = false
                while i < chars.count {
                    let ch = chars[i]
                    if ch == "\"" { closed = true; i += 1; break }
                    if ch == "\\" {
                        guard i + 1 < chars.count else { break }
                        let e = chars[i + 1]
                        i += 2
                        switch e {
                        case "n": s.append("\n")
                        case "t": s.append("\t")
                        case "r": s.append("\r")
                        case "b": s.append("\u{08}")
                        case "f": s.append("\u{0C}")
                        case "u":
                            guard i + 4 <= chars.count, let code = UInt32(String(String.UnicodeScalarView(chars[i..<i + 4])), radix: 16),
                                let scalar = Unicode.Scalar(code)
                            else {
                                throw SCIMError.invalidFilter(
                                    "Invalid filter at character \(i - 1): bad \\u escape in a string. Filter: \(text)")
                            }
                            s.append(scalar)
                            i += 4
                        default: s.append(e)
                        }
                        continue
                    }
                    s.append(ch)
                    i += 1
                }
                guard closed else {
                    throw SCIMError.invalidFilter(
                        "Invalid filter at character \(start + 1): the string is not closed with a double quote. Filter: \(text)")
                }
                result.append((.string(String(s)), start))
            default:
                let start = i
                while i < chars.count, !Self.wordEnds.contains(chars[i]) { i += 1 }
                result.append((.word(String(String.UnicodeScalarView(chars[start..<i]))), start))
            }
        }
        return result
    }

    static let wordEnds: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", "(", ")", "[", "]", "\""]
}
