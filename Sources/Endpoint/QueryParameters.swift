import SCIM

/// Query-string parsing (`FormDecoding`) that keeps the last of repeated names.
enum QueryParameters {
    static func parse(_ query: String?) -> [String: String] {
        var result: [String: String] = [:]
        guard let query, !query.isEmpty else { return result }
        // Split on bytes: `&` and `=` are ASCII, and String's own split walks Characters.
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                result[FormDecoding.decode(pair[..<equals])] = FormDecoding.decode(pair[pair.index(after: equals)...])
            } else {
                result[FormDecoding.decode(pair)] = ""
            }
        }
        return result
    }
}
