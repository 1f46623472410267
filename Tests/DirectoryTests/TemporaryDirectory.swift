import Foundation
@testable import Directory
import TestSupport

/// A Directory on a real SQLite file in a fresh temporary folder.
func makeDirectory(requestLogCapacity: Int = 10_000,
                   requestLogBacklogBytes: Int = Directory.defaultRequestLogBacklogBytes) throws -> Directory {
    let folder = URL(fileURLWithPath: ScratchFolder.make("directory"))
    return try Directory(path: folder.appendingPathComponent(Directory.fileName).path,
                         requestLogCapacity: requestLogCapacity, requestLogBacklogBytes: requestLogBacklogBytes)
}
