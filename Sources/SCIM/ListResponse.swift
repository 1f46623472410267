/// A page of results (RFC 7644 §3.4.2): the numbers are JSON numbers, as Okta requires.
public struct ListResponse: Sendable {
    public var resources: [JSONValue]
    public var totalResults: Int
    public var startIndex: Int

    public init(resources: [JSONValue], totalResults: Int, startIndex: Int) {
        self.resources = resources
        self.totalResults = totalResults
        self.startIndex = startIndex
    }

    /// The text of a page whose resources `writeResource(i, &out)` appends
    /// one by one: the same bytes as `JSONCoding.data(document)` would be
    /// with those resources, without building them as values first.
    public static func data(count: Int, totalResults: Int, startIndex: Int, capacity: Int = 1024,
                            writeResource: (Int, inout [UInt8]) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(capacity)
        // The members of `document` in `JSONCoding.keyRank` order, written directly: this
        // envelope is on every filtered GET, where building it as a JSONValue and sorting
        // its keys was a visible share.
        out.append(contentsOf: #"{"schemas":[""#.utf8)
        out.append(contentsOf: SchemaURN.listResponse.utf8)
        out.append(contentsOf: #""],"totalResults":"#.utf8)
        out.append(contentsOf: String(totalResults).utf8)
        out.append(contentsOf: #","itemsPerPage":"#.utf8)
        out.append(contentsOf: String(count).utf8)
        out.append(contentsOf: #","startIndex":"#.utf8)
        out.append(contentsOf: String(startIndex).utf8)
        out.append(contentsOf: #","Resources":["#.utf8)
        for i in 0..<count {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeResource(i, &out)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    public var document: JSONValue {
        [
            "schemas": [.string(SchemaURN.listResponse)],
            "totalResults": .number(Double(totalResults)),
            "itemsPerPage": .number(Double(resources.count)),
            "startIndex": .number(Double(startIndex)),
            "Resources": .array(resources),
        ]
    }
}

/// The paging and sorting a list request asked for, clamped to what the server allows.
public struct ListQuery: Sendable, Equatable {
    /// The largest page the server returns, advertised as `filter.maxResults`.
    public static let maxCount = 1000

    public var filter: Filter?
    /// 1-based, as in SCIM.
    public var startIndex: Int
    public var count: Int
    public var sortBy: AttributePath?
    public var descending: Bool

    public init(filter: Filter? = nil, startIndex: Int = 1, count: Int = 100,
                sortBy: AttributePath? = nil, descending: Bool = false) {
        self.filter = filter
        self.startIndex = max(1, startIndex)
        self.count = min(max(0, count), Self.maxCount)
        self.sortBy = sortBy
        self.descending = descending
    }

    /// Reads the query parameters of RFC 7644 §3.4.2 (names in any case).
    /// A bad `filter` is a 400 `invalidFilter`; bad numbers are 400 `invalidValue`.
    public init(parameters: [String: String]) throws(SCIMError) {
        func param(_ name: String) -> String? {
            parameters.first { $0.key.equalsIgnoringCase(name) }?.value
        }
        func integer(_ name: String, default value: Int) throws(SCIMError) -> Int {
            guard let text = param(name), !text.isEmpty else { return value }
            guard let n = Int(text) else {
                throw SCIMError.invalidValue("\"\(name)\" must be an integer, not \"\(text)\".")
            }
            return n
        }
        var filter: Filter?
        if let text = param("filter"), !text.allSatisfy(\.isWhitespace) {
            filter = try Filter.parse(text)
        }
        var sortBy: AttributePath?
        if let text = param("sortBy"), !text.isEmpty {
            guard let path = AttributePath.parse(text) else {
                throw SCIMError.invalidValue("\"sortBy\" must be an attribute path, not \"\(text)\".")
            }
            sortBy = path
        }
        let order = param("sortOrder")?.lowercased()
        if let order, order != "ascending", order != "descending" {
            throw SCIMError.invalidValue("\"sortOrder\" must be \"ascending\" or \"descending\".")
        }
        self.init(filter: filter, startIndex: try integer("startIndex", default: 1),
                  count: try integer("count", default: 100), sortBy: sortBy, descending: order == "descending")
    }
}
