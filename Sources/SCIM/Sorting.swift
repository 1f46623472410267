/// `sortBy` (RFC 7644 §3.4.2.3): the value a resource sorts by, and the order.
extension ResourceType {
    /// The value to sort on: for a multi-valued attribute, the primary value, else the first.
    public func sortValue(of path: AttributePath, in resource: JSONValue) -> JSONValue? {
        let raw = Filter.rawValues(at: path, in: resource, scope: .resource(self))
        let chosen = raw.first { $0[attribute: "primary"]?.boolValue == true } ?? raw.first
        guard let chosen else { return nil }
        if case .object = chosen, path.subAttribute == nil { return chosen[attribute: "value"] }
        return chosen
    }

    /// Ascending order of two sort values; unassigned values sort last.
    public func sortsBefore(_ a: JSONValue?, _ b: JSONValue?, path: AttributePath) -> Bool {
        switch (a, b) {
        case (nil, _), (.null?, _): return false
        case (_, nil), (_, .null?): return true
        case (.string(let x)?, .string(let y)?):
            let exact = definition(of: path)?.caseExact ?? false
            return exact ? x < y : x.lowercased() < y.lowercased()
        case (.number(let x)?, .number(let y)?): return x < y
        case (.bool(let x)?, .bool(let y)?): return !x && y
        default: return false
        }
    }
}
