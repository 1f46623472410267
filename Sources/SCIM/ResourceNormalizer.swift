import Foundation

/// Turns a client's resource JSON into the stored document: attribute names in
/// their canonical case, booleans sent as strings made booleans, read-only
/// attributes (`id`, `meta`, `groups`) and `password` dropped, unknown
/// attributes kept as sent. Extension attributes live under their URN.
public struct ResourceNormalizer: Sendable {
    public let type: ResourceType

    public init(type: ResourceType) { self.type = type }

    /// Normalizes a POST or PUT body and checks the required attributes.
    public func document(from json: JSONValue) throws(SCIMError) -> [String: JSONValue] {
        guard case .object(let input) = json else {
            throw SCIMError.invalidSyntax("The \(type.name) must be a JSON object.")
        }
        if let key = input.key(forAttribute: "schemas") { try checkSchemas(input[key]!) }
        var doc: [String: JSONValue] = [:]
        for (key, value) in input {
            try merge(key: key, value: value, into: &doc)
        }
        try checkRequired(doc)
        return doc
    }

    /// `schemas`, when sent, must name this resource's core schema; other
    /// URNs (extensions, Okta's custom ones) are tolerated and their
    /// attributes kept as sent.
    func checkSchemas(_ value: JSONValue) throws(SCIMError) {
        guard case .array(let items) = value, items.allSatisfy({ $0.stringValue != nil }) else {
            throw SCIMError.invalidValue("\"schemas\" must be a list of schema URNs.")
        }
        let core = type.schema.id.lowercased()
        guard items.contains(where: { $0.stringValue!.lowercased() == core }) else {
            throw SCIMError.invalidValue("\"schemas\" must include \(type.schema.id) for a \(type.name).")
        }
    }

    public func checkRequired(_ doc: [String: JSONValue]) throws(SCIMError) {
        for def in type.schema.attributes where def.required {
            guard let v = doc[def.name], let s = v.stringValue, !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw SCIMError.invalidValue("\"\(def.name)\" is required and must be a non-empty string.")
            }
        }
    }

    /// Places one top-level key of a client document into `doc`.
    func merge(key: String, value: JSONValue, into doc: inout [String: JSONValue]) throws(SCIMError) {
        if key.equalsIgnoringCase("schemas") { return }
        if let ext = type.extensionSchema(urn: key) {
            guard case .object(let fields) = value else {
                if value.isNull { doc.removeValue(forKey: ext.id); return }
                throw SCIMError.invalidValue("\"\(ext.id)\" must be a JSON object.")
            }
            var target = doc[ext.id]?.objectValue ?? [:]
            for (k, v) in fields {
                try place(k, v, definition: ext.attribute(named: k), into: &target)
            }
            if target.isEmpty { doc.removeValue(forKey: ext.id) } else { doc[ext.id] = .object(target) }
            return
        }
        if key.lowercased().hasPrefix("urn:"), let path = AttributePath.parse(key), let urn = path.schema,
            !path.attribute.isEmpty, type.schema(urn: urn) != nil
        {
            try merge(key: type.extensionSchema(urn: urn) == nil ? path.attribute : urn,
                      value: type.extensionSchema(urn: urn) == nil ? value : .object([path.attribute: value]),
                      into: &doc)
            return
        }
        if let common = CommonAttributes.named(key) {
            if common.mutability == .readOnly { return }
            try place(key, value, definition: common, into: &doc)
            return
        }
        try place(key, value, definition: type.schema.attribute(named: key), into: &doc)
    }

    private func place(_ key: String, _ value: JSONValue, definition def: AttributeDefinition?,
                       into target: inout [String: JSONValue]) throws(SCIMError) {
        guard let def else {
            target.setAttribute(key, value)
            return
        }
        if def.mutability == .readOnly || def.mutability == .writeOnly && def.returned == .never { return }
        target.removeAttribute(def.name)
        if let v = try normalize(value, as: def) { target[def.name] = v }
    }

    /// Normalizes one attribute value; nil means "unassigned".
    public func normalize(_ value: JSONValue, as def: AttributeDefinition) throws(SCIMError) -> JSONValue? {
        if value.isNull { return nil }
        if def.multiValued {
            let items = value.arrayValue ?? [value]
            var out: [JSONValue] = []
            for item in items where !item.isNull {
                out.append(try normalizeSingle(item, as: def))
            }
            return out.isEmpty ? nil : .array(out)
        }
        if case .array = value {
            throw SCIMError.invalidValue("\"\(def.name)\" takes a single value, not an array.")
        }
        return try normalizeSingle(value, as: def)
    }

    func normalizeSingle(_ value: JSONValue, as def: AttributeDefinition) throws(SCIMError) -> JSONValue {
        switch def.type {
        case .complex:
            guard case .object(let fields) = value else {
                throw SCIMError.invalidValue("\"\(def.name)\" must be a JSON object.")
            }
            var out: [String: JSONValue] = [:]
            for (k, v) in fields {
                guard let sub = def.subAttribute(named: k) else {
                    out.setAttribute(k, v)
                    continue
                }
                if let n = try normalize(v, as: sub) { out[sub.name] = n }
            }
            return .object(out)
        case .boolean:
            switch value {
            case .bool: return value
            case .string(let s) where s.lowercased() == "true": return .bool(true)
            case .string(let s) where s.lowercased() == "false": return .bool(false)
            default: throw SCIMError.invalidValue("\"\(def.name)\" must be true or false.")
            }
        case .integer, .decimal:
            switch value {
            case .number: return value
            case .string(let s):
                if let n = Double(s) { return .number(n) }
                fallthrough
            default: throw SCIMError.invalidValue("\"\(def.name)\" must be a number.")
            }
        case .string, .reference, .binary, .dateTime:
            guard case .string = value else {
                throw SCIMError.invalidValue("\"\(def.name)\" must be a string.")
            }
            if def.type == .dateTime, SCIMDate.parse(value.stringValue!) == nil {
                throw SCIMError.invalidValue("\"\(def.name)\" must be an RFC 3339 date-time.")
            }
            return value
        }
    }
}
