/// Applies PatchOp operations to a stored document (RFC 7644 §3.5.2).
///
/// The document is the resource as `ResourceNormalizer` stores it, plus any
/// attributes the caller materialises for the duration of the patch (a
/// group's `members`). Okta's shapes are all covered: path-less `replace`
/// with an object value, `members[value eq "…"]` removal, `add` that appends
/// without duplicates, and booleans sent as strings.
public struct PatchApplier: Sendable {
    public let type: ResourceType
    let normalizer: ResourceNormalizer

    public init(type: ResourceType) {
        self.type = type
        self.normalizer = ResourceNormalizer(type: type)
    }

    public func apply(_ request: PatchRequest, to document: inout [String: JSONValue]) throws(SCIMError) {
        for operation in request.operations {
            try apply(operation, to: &document)
        }
        try normalizer.checkRequired(document)
    }

    public func apply(_ operation: PatchOperation, to doc: inout [String: JSONValue]) throws(SCIMError) {
        guard let path = operation.path else {
            try applyWithoutPath(operation, to: &doc)
            return
        }
        try apply(operation.op, path: path, value: operation.value, to: &doc, pathless: false)
    }

    /// `{"op":"replace","value":{"active":false}}`: each key is a path of its own.
    private func applyWithoutPath(_ operation: PatchOperation, to doc: inout [String: JSONValue]) throws(SCIMError) {
        guard operation.op != .remove else {
            throw SCIMError.noTarget("A \"remove\" operation needs a \"path\" naming what to remove.")
        }
        guard case .object(let fields) = operation.value else {
            throw SCIMError.invalidValue(
                "An \"\(operation.op.rawValue)\" operation without a \"path\" needs an object \"value\".")
        }
        for (key, value) in fields {
            if key.equalsIgnoringCase("schemas") { continue }
            if let ext = type.extensionSchema(urn: key) {
                guard case .object(let extFields) = value else {
                    throw SCIMError.invalidValue("\"\(ext.id)\" must be a JSON object.")
                }
                for (k, v) in extFields {
                    try apply(operation.op, path: PatchPath(attribute: AttributePath(schema: ext.id, attribute: k)),
                              value: v, to: &doc, pathless: true)
                }
                continue
            }
            guard let attribute = AttributePath.parse(key) else {
                throw SCIMError.invalidPath("\"\(key)\" is not an attribute name.")
            }
            try apply(operation.op, path: PatchPath(attribute: attribute), value: value, to: &doc, pathless: true)
        }
    }

    private func apply(_ op: PatchOperation.Op, path: PatchPath, value: JSONValue?,
                       to doc: inout [String: JSONValue], pathless: Bool) throws(SCIMError) {
        let attr = path.attribute
        if let urn = attr.schema, type.schema(urn: urn) == nil {
            throw SCIMError.invalidPath("\"\(urn)\" is not a schema of \(type.name).")
        }
        if attr.attribute.isEmpty {
            // The path names a whole extension: `urn:…:enterprise:2.0:User`.
            guard let urn = attr.schema, let ext = type.extensionSchema(urn: urn) else {
                throw SCIMError.invalidPath("\"\(attr)\" does not name an extension of \(type.name).")
            }
            if op == .remove {
                doc.removeValue(forKey: ext.id)
            } else {
                try normalizer.merge(key: ext.id, value: value ?? .null, into: &doc)
            }
            return
        }
        let def = type.definition(of: AttributePath(schema: attr.schema, attribute: attr.attribute))
        if let def, def.mutability == .readOnly || def.name == "id" {
            // Okta echoes `id` inside a group rename's value; the URL's id wins.
            if pathless { return }
            throw SCIMError.mutability("\"\(def.name)\" is read-only and cannot be changed.")
        }
        if attr.attribute.equalsIgnoringCase("schemas") {
            if pathless { return }
            throw SCIMError.mutability("\"schemas\" is set by the server and cannot be changed.")
        }
        if let def, def.mutability == .writeOnly, def.returned == .never {
            return  // `password`: accepted and dropped, never stored.
        }
        if op == .remove, attr.subAttribute == nil, path.filter == nil, def?.required == true {
            throw SCIMError.mutability("\"\(def!.name)\" is required and cannot be removed.")
        }

        let extURN = attr.schema.flatMap { type.extensionSchema(urn: $0)?.id }
        var container = extURN.map { doc[$0]?.objectValue ?? [:] } ?? doc
        try apply(op, path: path, def: def, value: value, to: &container)
        if let extURN {
            if container.isEmpty { doc.removeValue(forKey: extURN) } else { doc[extURN] = .object(container) }
        } else {
            doc = container
        }
    }

    /// Applies an operation to the object holding the attribute (the
    /// resource itself, or its extension object).
    private func apply(_ op: PatchOperation.Op, path: PatchPath, def: AttributeDefinition?, value: JSONValue?,
                       to container: inout [String: JSONValue]) throws(SCIMError) {
        let name = def?.name ?? container.key(forAttribute: path.attribute.attribute) ?? path.attribute.attribute
        let sub = path.attribute.subAttribute ?? path.subAttribute
        let subDef = sub.flatMap { def?.subAttribute(named: $0) }
        if let filter = path.filter {
            try applyFiltered(op, name: name, def: def, filter: filter, sub: sub, subDef: subDef,
                              value: value, to: &container)
            return
        }
        if let sub {
            try applySubAttribute(op, name: name, def: def, sub: sub, subDef: subDef, value: value, to: &container)
            return
        }
        let current = container.value(forAttribute: name)
        switch op {
        case .remove:
            container.removeAttribute(name)
        case .add, .replace:
            guard let value else { return }
            if value.isNull, op == .replace {
                container.removeAttribute(name)
                return
            }
            let new: JSONValue?
            if let def { new = try normalizer.normalize(value, as: def) } else { new = value }
            guard let new else {
                if op == .replace { container.removeAttribute(name) }
                return
            }
            container.removeAttribute(name)
            if def?.multiValued == true {
                let incoming = new.arrayValue ?? [new]
                if op == .add {
                    container[name] = .array(appending(incoming, to: current?.arrayValue ?? [], attribute: name))
                } else {
                    container[name] = .array(incoming)
                }
            } else if def?.type == .complex, case .object(let old) = current, case .object(let fields) = new {
                // RFC 7644 §3.5.2.1/.3: sub-attributes not given are left unchanged.
                container[name] = .object(old.merging(fields) { _, n in n })
            } else {
                container[name] = new
            }
        }
    }

    /// Appends values, skipping any already present (for `members`, by `value`).
    private func appending(_ incoming: [JSONValue], to existing: [JSONValue], attribute: String) -> [JSONValue] {
        var result = existing
        for item in incoming {
            let duplicate = result.contains { old in
                if let a = old[attribute: "value"], let b = item[attribute: "value"],
                    attribute.equalsIgnoringCase("members")
                {
                    return a == b
                }
                return old == item
            }
            if !duplicate { result.append(item) }
        }
        return result
    }

    private func applySubAttribute(_ op: PatchOperation.Op, name: String, def: AttributeDefinition?, sub: String,
                                   subDef: AttributeDefinition?, value: JSONValue?,
                                   to container: inout [String: JSONValue]) throws(SCIMError) {
        if let def, def.type != .complex {
            throw SCIMError.invalidPath("\"\(def.name)\" has no sub-attributes, so \"\(def.name).\(sub)\" is not a path.")
        }
        if let def, !def.subAttributes.isEmpty, subDef == nil {
            throw SCIMError.invalidPath("\"\(def.name)\" has no sub-attribute \"\(sub)\".")
        }
        let subName = subDef?.name ?? sub
        let newValue: JSONValue? = try value.flatMap { v throws(SCIMError) in
            if let subDef { return try normalizer.normalize(v, as: subDef) }
            return v
        }
        func update(_ element: JSONValue) -> JSONValue {
            var object = element.objectValue ?? [:]
            object.removeAttribute(subName)
            if op != .remove, let newValue { object[subName] = newValue }
            return .object(object)
        }
        let current = container.value(forAttribute: name)
        container.removeAttribute(name)
        if case .array(let items) = current {
            // Without a filter a multi-valued attribute's sub-attribute is set on every element.
            container[name] = .array(items.map(update))
        } else if op == .remove, current == nil {
            return
        } else {
            let updated = update(current ?? .object([:]))
            if !updated.isUnassigned { container[name] = updated }
        }
    }

    private func applyFiltered(_ op: PatchOperation.Op, name: String, def: AttributeDefinition?, filter: Filter,
                               sub: String?, subDef: AttributeDefinition?, value: JSONValue?,
                               to container: inout [String: JSONValue]) throws(SCIMError) {
        if let def, !def.multiValued {
            throw SCIMError.invalidPath("\"\(def.name)\" is not multi-valued, so it cannot take a [filter].")
        }
        let items = container.value(forAttribute: name)?.arrayValue ?? []
        let matches = items.map { filter.evaluate($0, scope: .element(def)) }
        if !matches.contains(true) {
            // Removing what is already gone is not an error: Okta retries and races.
            if op == .remove { return }
            throw SCIMError.noTarget("No value of \"\(name)\" matches the filter in the path.")
        }
        var result: [JSONValue] = []
        for (item, matched) in zip(items, matches) {
            guard matched else { result.append(item); continue }
            if let sub {
                var object = item.objectValue ?? [:]
                let subName = subDef?.name ?? sub
                object.removeAttribute(subName)
                if op != .remove, let value {
                    if let v = try subDef.map({ d throws(SCIMError) in try normalizer.normalize(value, as: d) }) ?? value {
                        object[subName] = v
                    }
                }
                result.append(.object(object))
            } else if op == .remove {
                continue
            } else {
                guard let value, let def else { result.append(value ?? item); continue }
                guard case .object(let fields) = try normalizer.normalizeSingle(value, as: def) else {
                    throw SCIMError.invalidValue("The value for \"\(name)[…]\" must be a JSON object.")
                }
                if op == .replace {
                    result.append(.object(fields))
                } else {
                    result.append(.object((item.objectValue ?? [:]).merging(fields) { _, n in n }))
                }
            }
        }
        container.removeAttribute(name)
        if !result.isEmpty { container[name] = .array(result) }
    }
}
