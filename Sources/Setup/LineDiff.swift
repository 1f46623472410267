/// A line of a before/after comparison, for showing a file change before it is written.
public struct DiffLine: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case context, removed, added, gap }
    public var kind: Kind
    public var text: String
    /// 1-based line number in the old file (context, removed) or the new one (added).
    public var number: Int

    public var description: String {
        switch kind {
        case .context: return "  \(text)"
        case .removed: return "- \(text)"
        case .added: return "+ \(text)"
        case .gap: return "  …"
        }
    }
}

/// Compares two texts line by line. Edits here touch a few lines of files
/// that can be thousands long, so common head and tail are skipped first and
/// only the middle is compared exactly (longest common subsequence).
public enum LineDiff {
    public static func lines(before: [String], after: [String], context: Int = 2) -> [DiffLine] {
        var head = 0
        while head < before.count, head < after.count, before[head] == after[head] { head += 1 }
        var tail = 0
        while tail < before.count - head, tail < after.count - head,
            before[before.count - 1 - tail] == after[after.count - 1 - tail]
        {
            tail += 1
        }
        let a = Array(before[head..<(before.count - tail)])
        let b = Array(after[head..<(after.count - tail)])
        if a.isEmpty && b.isEmpty { return [] }

        // LCS table over the differing middle.
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var middle: [DiffLine] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                middle.append(DiffLine(kind: .context, text: a[i], number: head + i + 1)); i += 1; j += 1
            } else if j < b.count, i == a.count || table[i][j + 1] >= table[i + 1][j] {
                middle.append(DiffLine(kind: .added, text: b[j], number: head + j + 1)); j += 1
            } else {
                middle.append(DiffLine(kind: .removed, text: a[i], number: head + i + 1)); i += 1
            }
        }
        var result: [DiffLine] = []
        let lead = max(0, head - context)
        if lead > 0 { result.append(DiffLine(kind: .gap, text: "", number: 0)) }
        for k in lead..<head { result.append(DiffLine(kind: .context, text: before[k], number: k + 1)) }
        result += middle
        let tailStart = before.count - tail
        let tailEnd = min(before.count, tailStart + context)
        for k in tailStart..<tailEnd { result.append(DiffLine(kind: .context, text: before[k], number: k + 1)) }
        if tailEnd < before.count { result.append(DiffLine(kind: .gap, text: "", number: 0)) }
        return result
    }
}
