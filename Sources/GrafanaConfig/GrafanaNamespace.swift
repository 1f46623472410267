/// A Grafana API namespace, as grafana/authlib `types/namespace.go` defines
/// them: org 1 is `default`, org N>1 is `org-N`, a Cloud stack is `stacks-N`.
public enum GrafanaNamespace: Sendable, Equatable, CustomStringConvertible {
    case org(Int)
    case stack(Int)

    /// Parses a namespace; the error says what a valid one looks like.
    public static func parse(_ text: String) -> Result<GrafanaNamespace, NamespaceError> {
        if text == "default" { return .success(.org(1)) }
        if text.hasPrefix("org-") {
            guard let n = decimal(text.dropFirst(4)) else { return .failure(.malformed(text)) }
            guard n > 1 else { return .failure(.orgOne(text)) }
            return .success(.org(n))
        }
        if text.hasPrefix("stacks-") {
            guard let n = decimal(text.dropFirst(7)), n > 0 else { return .failure(.malformed(text)) }
            return .success(.stack(n))
        }
        return .failure(.malformed(text))
    }

    private static func decimal(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.count <= 18, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s)
    }

    public var description: String {
        switch self {
        case .org(1): return "default"
        case .org(let n): return "org-\(n)"
        case .stack(let n): return "stacks-\(n)"
        }
    }
}

public enum NamespaceError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case orgOne(String)

    public var description: String {
        switch self {
        case .malformed(let s):
            return "\"\(s)\" is not a Grafana namespace: use \"default\" (org 1), \"org-N\" (org N > 1) or \"stacks-N\" (Grafana Cloud stack N)."
        case .orgOne(let s):
            return "\"\(s)\" is not valid: org 1's namespace is \"default\"."
        }
    }
}
