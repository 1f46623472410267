import Testing
@testable import Console

/// Holds a table's view (count, every window, every row's position) to
/// `reference`, the ids a fresh query of the whole table gives in order.
/// `absentID` names a row that must have no position.
func expectTable<Table: DirectoryTable>(_ table: Table, matches reference: [String], absentID: String? = nil,
                       _ note: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(table.count == reference.count, "\(note)", sourceLocation: sourceLocation)
    for start in stride(from: 0, through: reference.count, by: 3) {
        #expect(table.items(in: start..<(start + 5)).map(table.id(of:)) == Array(reference.dropFirst(start).prefix(5)),
                "\(note) at \(start)", sourceLocation: sourceLocation)
    }
    for (index, id) in reference.enumerated() {
        #expect(table.index(of: id) == index, "\(note) position of \(id)", sourceLocation: sourceLocation)
    }
    if let absentID { #expect(table.index(of: absentID) == nil, "\(note)", sourceLocation: sourceLocation) }
}
