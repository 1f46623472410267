/// Wrapping text to a width in cells: at spaces, and inside a word only when
/// the word alone is wider than the line (URLs, paths, tokens).
public enum TextWrap {
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [text] }
        // Leading spaces are an indent: every wrapped line keeps it.
        let indent = String(text.prefix { $0 == " " })
        if !indent.isEmpty, indent.count < width / 2 {
            return lines(String(text.dropFirst(indent.count)), width: width - indent.count).map { indent + $0 }
        }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if DisplayWidth.of(candidate) <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = ""
            // Break a word that cannot fit on any line by itself.
            for ch in word {
                if DisplayWidth.of(current + String(ch)) > width {
                    lines.append(current)
                    current = ""
                }
                current.append(ch)
            }
        }
        lines.append(current)
        return lines
    }
}
