import Foundation

/// `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5): which
/// attributes a response carries. `id` and `schemas` are always returned.
public struct AttributeProjection: Sendable {
    public var attributes: [AttributePath]
    public var excluded: [AttributePath]

    public init(attributes: [AttributePath] = [], excluded: [AttributePath] = []) {
        self.attributes = attributes
        self.excluded = excluded
    }

    public init(parameters: [String: String]) throws(SCIMError) {
        func paths(_ name: String) throws(SCIMError) -> [AttributePath] {
            guard let text = parameters.first(where: { $0.key.equalsIgnoringCase(name) })?.value
            else { return [] }
            var result: [AttributePath] = []
            for part in text.split(separator: ",") {
                let trimmed = part.trimmingCharacters(in: .whitespaces)
                guard let p = AttributePath.parse(trimmed) else {
                    throw SCIMError.invalidValue("\"\(trimmed)\" in \"\(name)\" is not an attribute path.")
                }
                result.append(p)
            }
            return result
        }
        self.init(attributes: try paths("attributes"), excluded: try paths("excludedAttributes"))
    }

    public var isIdentity: Bool { attributes.isEmpty && excluded.isEmpty }

    static let alwaysReturned: Set<String> = ["id", "schemas"]

    public func apply(to resource: JSONValue, type: ResourceType) -> JSONValue {
        guard !isIdentity, case .object(var object) = resource else { return resource }
        if !attributes.isEmpty {
            var kept: [String: JSONValue] = [:]
            for key in Self.alwaysReturned { kept[key] = object[key] }
            for path in attributes {
                copy(path, from: object, into: &kept, type: type)
            }
            object = kept
        }
        for path in excluded where !Self.alwaysReturned.contains(path.attribute) {
            remove(path, from: &object, type: type)
        }
        return .object(object)
    }

    private func container(_ path: AttributePath, type: ResourceType) -> String? {
        path.schema.flatMap { type.extensionSchema(urn: $0)?.id }
    }

    private func copy(_ path: AttributePath, from source: [String: JSONValue], into target: inout [String: JSONValue],
                      type: ResourceType) {
        if let ext = container(path, type: type) {
            guard case .object(let fields) = source[ext] else { return }
            var sub = target[ext]?.objectValue ?? [:]
            if path.attribute.isEmpty {
                sub = fields
            } else {
                copy(AttributePath(attribute: path.attribute, subAttribute: path.subAttribute), from: fields,
                     into: &sub, type: type)
            }
            if !sub.isEmpty { target[ext] = .object(sub) }
            return
        }
        guard let key = source.key(forAttribute: path.attribute), let value = source[key] else { return }
        guard let sub = path.subAttribute else {
            target[key] = value
            return
        }
        switch value {
        case .object(let fields):
            var existing = target[key]?.objectValue ?? [:]
            if let k = fields.key(forAttribute: sub) { existing[k] = fields[k] }
            if !existing.isEmpty { target[key] = .object(existing) }
        case .array(let items):
            let projected: [JSONValue] = items.compactMap { item in
                guard case .object(let fields) = item, let k = fields.key(forAttribute: sub) else { return nil }
                return .object([k: fields[k]!])
            }
            if !projected.isEmpty { target[key] = .array(projected) }
        default: break
        }
    }

    private func remove(_ path: AttributePath, from object: inout [String: JSONValue], type: ResourceType) {
        if let ext = container(path, type: type) {
            guard case .object(var fields) = object[ext] else { return }
            if path.attribute.isEmpty {
                object.removeValue(forKey: ext)
                return
            }
            remove(AttributePath(attribute: path.attribute, subAttribute: path.subAttribute), from: &fields, type: type)
            object[ext] = fields.isEmpty ? nil : .object(fields)
            return
        }
        guard let sub = path.subAttribute else {
            object.removeAttribute(path.attribute)
            return
        }
        guard let key = object.key(forAttribute: path.attribute) else { return }
        switch object[key] {
        case .object(var fields):
            fields.removeAttribute(sub)
            object[key] = .object(fields)
        case .array(let items):
            object[key] = .array(items.map { item in
                guard case .object(var fields) = item else { return item }
                fields.removeAttribute(sub)
                return .object(fields)
            })
        default: break
        }
    }
}
