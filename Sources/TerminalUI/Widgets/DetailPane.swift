import Foundation

/// A scrollable pane of styled lines (request bodies, resources as JSON).
public struct DetailPane {
    public var title: String
    public var lines: [StyledLine]
    public var offset: Int
    public var focused: Bool

    public init(title: String, lines: [StyledLine], offset: Int = 0, focused: Bool = false) {
        self.title = title
        self.lines = lines
        self.offset = offset
        self.focused = focused
    }

    /// The offset after scrolling by `delta` lines in a pane of `rect`.
    public static func scrolled(_ offset: Int, by delta: Int, lineCount: Int, rect: Rect) -> Int {
        let visible = max(1, rect.height - 2)
        return min(max(0, offset + delta), max(0, lineCount - visible))
    }

    public func draw(on surface: Surface, in rect: Rect) {
        guard rect.height >= 3 else { return }
        surface.fill(rect)
        surface.box(rect, title: title, focused: focused)
        let inner = rect.inset(1)
        let start = min(max(0, offset), max(0, lines.count - 1))
        for (i, line) in lines.dropFirst(start).prefix(inner.height).enumerated() {
            line.draw(on: surface, at: Point(x: inner.x, y: inner.y + i), width: inner.width)
        }
        if lines.count > inner.height, rect.width > 12 {
            let label = " \(min(start + inner.height, lines.count))/\(lines.count) "
            surface.put(label, at: Point(x: rect.maxX - DisplayWidth.of(label) - 2, y: rect.maxY - 1), style: Style(.dim))
        }
    }
}

/// JSON, pretty-printed and coloured by role: keys as titles, strings ok,
/// numbers warn, `true`/`false`/`null` as key hints.
public enum JSONHighlighter {
    /// Lines for `text`: pretty-printed and coloured if it is JSON, else as it is.
    public static func lines(_ text: String) -> [StyledLine] {
        guard !text.isEmpty else { return [] }
        if let data = text.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            let pretty = try? JSONSerialization.data(withJSONObject: object,
                                                     options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]),
            let prettyText = String(data: pretty, encoding: .utf8)
        {
            return prettyText.split(separator: "\n", omittingEmptySubsequences: false).map { highlight(String($0)) }
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { StyledLine(String($0)) }
    }

    /// Colours one line of pretty-printed JSON.
    static func highlight(_ line: String) -> StyledLine {
        var spans: [Span] = []
        let chars = Array(line)
        var i = 0
        var plain = ""
        func flushPlain() {
            if !plain.isEmpty { spans.append(Span(plain)); plain = "" }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\"" {
                flushPlain()
                var j = i + 1
                while j < chars.count, chars[j] != "\"" { j += chars[j] == "\\" ? 2 : 1 }
                let end = min(j + 1, chars.count)
                let token = String(chars[i..<end])
                var k = end
                while k < chars.count, chars[k] == " " { k += 1 }
                let isKey = k < chars.count && chars[k] == ":"
                spans.append(Span(token, Style(isKey ? .title : .ok)))
                i = end
            } else if c == "-" || c.isNumber {
                flushPlain()
                var j = i
                while j < chars.count, "-+.eE0123456789".contains(chars[j]) { j += 1 }
                spans.append(Span(String(chars[i..<j]), Style(.warn)))
                i = j
            } else if let word = ["true", "false", "null"].first(where: { line.dropFirst(i).hasPrefix($0) }) {
                flushPlain()
                spans.append(Span(word, Style(.keyHint)))
                i += word.count
            } else {
                plain.append(c)
                i += 1
            }
        }
        flushPlain()
        return StyledLine(spans)
    }
}
