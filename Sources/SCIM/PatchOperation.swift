import Foundation

/// A PATCH path (RFC 7644 §3.5.2): `attr`, `attr.sub`, `attr[filter]`,
/// `attr[filter].sub`, each optionally URN-prefixed.
public struct PatchPath: Sendable, Equatable, CustomStringConvertible {
    public var attribute: AttributePath
    public var filter: Filter?
    public var subAttribute: String?

    public init(attribute: AttributePath, filter: Filter? = nil, subAttribute: String? = nil) {
        self.attribute = attribute
        self.filter = filter
        self.subAttribute = subAttribute
    }

    public static func parse(_ text: String) throws(SCIMError) -> PatchPath {
        guard text.utf8.count <= Filter.maxLength else {
            throw SCIMError.invalidPath("The PATCH path is longer than \(Filter.maxLength) bytes.")
        }
        var parser = FilterParser(text: text)
        return try parser.parsePatchPath()
    }

    public var description: String {
        var s = attribute.description
        if filter != nil { s += "[…]" }
        if let subAttribute { s += "." + subAttribute }
        return s
    }
}

/// One operation of a PatchOp request.
public struct PatchOperation: Sendable, Equatable {
    public enum Op: String, Sendable { case add, replace, remove }

    public var op: Op
    public var path: PatchPath?
    public var value: JSONValue?

    public init(op: Op, path: PatchPath? = nil, value: JSONValue? = nil) {
        self.op = op
        self.path = path
        self.value = value
    }
}

/// A decoded PatchOp request body (RFC 7644 §3.5.2).
public struct PatchRequest: Sendable, Equatable {
    public var operations: [PatchOperation]

    public init(operations: [PatchOperation]) { self.operations = operations }

    public init(json: JSONValue) throws(SCIMError) {
        guard case .object(let body) = json else {
            throw SCIMError.invalidSyntax("A PATCH body must be a JSON object with \"schemas\" and \"Operations\".")
        }
        if let schemas = body.value(forAttribute: "schemas")?.arrayValue,
            !schemas.contains(where: { $0.stringValue?.equalsIgnoringCase(SchemaURN.patchOp) == true })
        {
            throw SCIMError.invalidSyntax("A PATCH body's \"schemas\" must contain \"\(SchemaURN.patchOp)\".")
        }
        guard let list = body.value(forAttribute: "Operations")?.arrayValue else {
            throw SCIMError.invalidSyntax("A PATCH body needs an \"Operations\" array.")
        }
        var operations: [PatchOperation] = []
        for (i, item) in list.enumerated() {
            guard case .object(let o) = item else {
                throw SCIMError.invalidSyntax("Operation \(i + 1) is not a JSON object.")
            }
            guard let opName = o.value(forAttribute: "op")?.stringValue,
                let op = PatchOperation.Op(rawValue: opName.lowercased())
            else {
                throw SCIMError.invalidSyntax(
                    "Operation \(i + 1) needs \"op\" set to \"add\", \"replace\" or \"remove\".")
            }
            var path: PatchPath?
            if let p = o.value(forAttribute: "path"), !p.isNull {
                guard let text = p.stringValue, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw SCIMError.invalidPath("Operation \(i + 1) has a \"path\" that is not a non-empty string.")
                }
                path = try PatchPath.parse(text)
            }
            let value = o.value(forAttribute: "value")
            if op != .remove, value == nil {
                throw SCIMError.invalidValue("Operation \(i + 1) (\(op.rawValue)) needs a \"value\".")
            }
            operations.append(PatchOperation(op: op, path: path, value: value))
        }
        self.operations = operations
    }
}
