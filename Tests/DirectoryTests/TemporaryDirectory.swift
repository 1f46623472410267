import Foundation
@testable import Directory

/// A Directory on a real SQLite file in a fresh temporary folder.
func makeDirectory(requestLogCapacity: Int = 10_000) throws -> Directory {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scim-console-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return try Directory(path: folder.appendingPathComponent(Directory.fileName).path,
                         requestLogCapacity: requestLogCapacity)
}
