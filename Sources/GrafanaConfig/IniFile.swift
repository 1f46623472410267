/// A Grafana ini file held as its exact text, so an edit changes only the
/// lines it must: comments, order, blank lines, other sections and CRLF line
/// ends survive byte for byte. Comments start with `;` or `#`.
public struct IniFile: Sendable, Equatable {
    /// Lines without their terminators.
    public private(set) var lines: [String]
    /// The terminator of each line ("\n", "\r\n" or "" for a last line without one).
    private var endings: [String]

    public init(text: String) {
        var lines: [String] = []
        var endings: [String] = []
        var current = ""
        var iterator = text.unicodeScalars.makeIterator()
        var pendingCR = false
        while let s = iterator.next() {
            if pendingCR {
                pendingCR = false
                if s == "\n" { lines.append(current); endings.append("\r\n"); current = ""; continue }
                current.unicodeScalars.append("\r")
            }
            if s == "\r" { pendingCR = true; continue }
            if s == "\n" { lines.append(current); endings.append("\n"); current = ""; continue }
            current.unicodeScalars.append(s)
        }
        if pendingCR { current.unicodeScalars.append("\r") }
        if !current.isEmpty { lines.append(current); endings.append("") }
        self.lines = lines
        self.endings = endings
    }

    public var text: String {
        zip(lines, endings).map { $0 + $1 }.joined()
    }

    /// The line end this file mostly uses, for lines it adds.
    var newline: String {
        endings.filter { $0 == "\r\n" }.count > endings.filter { $0 == "\n" }.count ? "\r\n" : "\n"
    }

    /// One `key = value` line.
    public struct Entry: Sendable, Equatable {
        public var line: Int
        public var section: String
        public var key: String
        public var value: String
    }

    static func isComment(_ trimmed: Substring) -> Bool {
        trimmed.hasPrefix(";") || trimmed.hasPrefix("#")
    }

    static func sectionName(_ line: String) -> String? {
        let t = line.trimmingASCIIWhitespace
        guard t.hasPrefix("["), let close = t.firstIndex(of: "]") else { return nil }
        return String(t[t.index(after: t.startIndex)..<close]).trimmingASCIIWhitespace.lowercased()
    }

    /// Every key line, with its section ("" before the first header).
    public var entries: [Entry] {
        var result: [Entry] = []
        var section = ""
        for (i, line) in lines.enumerated() {
            if let name = Self.sectionName(line) { section = name; continue }
            let t = Substring(line.trimmingASCIIWhitespace)
            guard !t.isEmpty, !Self.isComment(t), let eq = t.firstIndex(of: "=") else { continue }
            let key = String(t[..<eq]).trimmingASCIIWhitespace
            var value = String(t[t.index(after: eq)...]).trimmingASCIIWhitespace
            if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
                value = String(value.dropFirst().dropLast())
            }
            result.append(Entry(line: i, section: section, key: key, value: value))
        }
        return result
    }

    /// The effective value of a key: the last occurrence wins, as in Grafana's ini reader.
    public func value(section: String, key: String) -> String? {
        entries.last { $0.section == section.lowercased() && $0.key == key }?.value
    }

    /// Sets `key` in `section`: rewrites the value of its last occurrence
    /// keeping the text around it, or adds a line after the section's last
    /// key, or adds the section at the end.
    public mutating func set(section: String, key: String, value: String) {
        let sectionName = section.lowercased()
        if let entry = entries.last(where: { $0.section == sectionName && $0.key == key }) {
            let line = lines[entry.line]
            let eq = line.firstIndex(of: "=")!
            let afterEq = line[line.index(after: eq)...]
            let leading = afterEq.prefix { $0 == " " || $0 == "\t" }
            lines[entry.line] = String(line[...eq]) + leading + value
            return
        }
        if let header = lines.firstIndex(where: { Self.sectionName($0) == sectionName }) {
            var insertAt = header + 1
            var i = header + 1
            while i < lines.count, Self.sectionName(lines[i]) == nil {
                let t = Substring(lines[i].trimmingASCIIWhitespace)
                if !t.isEmpty, !Self.isComment(t), t.contains("=") { insertAt = i + 1 }
                i += 1
            }
            insert("\(key) = \(value)", at: insertAt)
            return
        }
        let nl = newline
        if let last = endings.indices.last, endings[last].isEmpty { endings[last] = nl }
        if let lastLine = lines.last, !lastLine.trimmingASCIIWhitespace.isEmpty {
            lines.append("")
            endings.append(nl)
        }
        lines.append("[\(section)]")
        endings.append(nl)
        lines.append("\(key) = \(value)")
        endings.append(nl)
    }

    private mutating func insert(_ line: String, at index: Int) {
        let nl = newline
        if index == lines.count, let last = endings.indices.last, endings[last].isEmpty {
            endings[last] = nl
            lines.append(line)
            endings.append("")
            return
        }
        lines.insert(line, at: index)
        endings.insert(nl, at: index)
    }
}

extension String {
    var trimmingASCIIWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}

extension IniFile {
    /// Lines Grafana's ini reader would reject, each as "line N: why"; an
    /// editor must not write into a file it cannot read the way Grafana does.
    public var problems: [String] {
        var result: [String] = []
        for (i, line) in lines.enumerated() {
            let t = Substring(line.trimmingASCIIWhitespace)
            if t.isEmpty || Self.isComment(t) { continue }
            if t.hasPrefix("[") {
                if !t.contains("]") { result.append("line \(i + 1): the section header \(t) has no closing ]") }
                continue
            }
            if !t.contains("=") && !t.contains(":") {
                result.append("line \(i + 1): \"\(t.prefix(40))\" is neither a [section], a comment nor key = value")
            }
        }
        return result
    }
}
