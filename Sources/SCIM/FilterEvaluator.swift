import Foundation

/// Where a filter's attribute names are looked up: a resource's schemas, or
/// the sub-attributes of one complex attribute (inside `attr[...]`).
enum FilterScope {
    case resource(ResourceType)
    case element(AttributeDefinition?)

    func definition(of path: AttributePath) -> AttributeDefinition? {
        switch self {
        case .resource(let type): return type.definition(of: path)
        case .element(let parent):
            let def = parent?.subAttribute(named: path.attribute)
            if let sub = path.subAttribute { return def?.subAttribute(named: sub) }
            return def
        }
    }
}

extension Filter {
    /// Whether `resource` (a full SCIM representation, `meta` included) matches.
    public func matches(_ resource: JSONValue, type: ResourceType) -> Bool {
        evaluate(resource, scope: .resource(type))
    }

    func evaluate(_ node: JSONValue, scope: FilterScope) -> Bool {
        switch self {
        case .and(let a, let b): return a.evaluate(node, scope: scope) && b.evaluate(node, scope: scope)
        case .or(let a, let b): return a.evaluate(node, scope: scope) || b.evaluate(node, scope: scope)
        case .not(let a): return !a.evaluate(node, scope: scope)
        case .present(let path):
            return Self.values(at: path, in: node, scope: scope).contains { !$0.isUnassigned && $0 != .string("") }
        case .compare(let path, let op, let literal):
            let def = scope.definition(of: path)
            let values = Self.values(at: path, in: node, scope: scope)
            if literal == .null {
                let assigned = values.contains { !$0.isUnassigned }
                return op == .eq ? !assigned : op == .ne ? assigned : false
            }
            if op == .ne {
                return !values.contains { Self.compare($0, .eq, literal, def) }
            }
            return values.contains { Self.compare($0, op, literal, def) }
        case .valuePath(let path, let inner):
            let def = scope.definition(of: path)
            let elements = Self.rawValues(at: path, in: node, scope: scope)
            return elements.contains { inner.evaluate($0, scope: .element(def)) }
        }
    }

    /// The attribute's value(s) as an array, before any `value` sub-attribute defaulting.
    static func rawValues(at path: AttributePath, in node: JSONValue, scope: FilterScope) -> [JSONValue] {
        guard case .object(let object) = node else { return [] }
        var container: JSONValue? = .object(object)
        if let urn = path.schema, case .resource(let type) = scope, type.extensionSchema(urn: urn) != nil {
            container = object.value(forAttribute: type.extensionSchema(urn: urn)!.id)
        }
        var value = container?[attribute: path.attribute]
        if value == nil, path.schema == nil, case .resource(let type) = scope {
            // An extension attribute written without its URN.
            for ext in type.extensions where ext.attribute(named: path.attribute) != nil {
                value = object.value(forAttribute: ext.id)?[attribute: path.attribute]
                if value != nil { break }
            }
        }
        guard let value else { return [] }
        var items: [JSONValue] = value.arrayValue ?? [value]
        if let sub = path.subAttribute {
            items = items.compactMap { $0[attribute: sub] }.flatMap { $0.arrayValue ?? [$0] }
        }
        return items
    }

    /// Values to compare: a complex multi-valued attribute without a
    /// sub-attribute compares on its elements' `value` (RFC 7644 §3.4.2.2).
    static func values(at path: AttributePath, in node: JSONValue, scope: FilterScope) -> [JSONValue] {
        rawValues(at: path, in: node, scope: scope).map { item in
            if case .object = item, path.subAttribute == nil, let v = item[attribute: "value"] { return v }
            return item
        }
    }

    static func compare(_ value: JSONValue, _ op: ComparisonOperator, _ literal: JSONValue,
                        _ def: AttributeDefinition?) -> Bool {
        switch (value, literal) {
        case (.string(let a), .string(let b)):
            if def?.type == .dateTime, let da = SCIMDate.parse(a), let db = SCIMDate.parse(b) {
                return order(da, db, op)
            }
            if def?.type == .boolean, let bv = Bool(b.lowercased()) {
                return compare(.bool(Bool(a.lowercased()) ?? false), op, .bool(bv), def)
            }
            let exact = def?.caseExact ?? false
            let x = exact ? a : a.lowercased()
            let y = exact ? b : b.lowercased()
            switch op {
            case .co: return x.contains(y)
            case .sw: return x.hasPrefix(y)
            case .ew: return x.hasSuffix(y)
            default: return order(x, y, op)
            }
        case (.number(let a), .number(let b)):
            return order(a, b, op)
        case (.bool(let a), .bool(let b)):
            return op == .eq ? a == b : false
        case (.bool(let a), .string(let b)):
            guard let bv = Bool(b.lowercased()) else { return false }
            return op == .eq ? a == bv : false
        case (.string(let a), .number(let b)):
            guard let av = Double(a) else { return false }
            return order(av, b, op)
        default:
            return false
        }
    }

    static func order<T: Comparable>(_ a: T, _ b: T, _ op: ComparisonOperator) -> Bool {
        switch op {
        case .eq: return a == b
        case .ne: return a != b
        case .gt: return a > b
        case .ge: return a >= b
        case .lt: return a < b
        case .le: return a <= b
        case .co, .sw, .ew: return false
        }
    }
}
