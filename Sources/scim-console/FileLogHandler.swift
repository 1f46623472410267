import Foundation
import Logging
import Synchronization

/// Logs to a file in the data directory: while curses owns the screen
/// nothing may write to stdout or stderr.
struct FileLogHandler: LogHandler {
    final class Sink: Sendable {
        let handle: Mutex<FileHandle?>
        init(path: String) {
            if !FileManager.default.fileExists(atPath: path) {
                // If it cannot be created, the open below fails and lines are dropped: a log must not stop the console.
                _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            let h = FileHandle(forWritingAtPath: path)
            _ = try? h?.seekToEnd()
            handle = Mutex(h)
        }
        func write(_ line: String) {
            handle.withLock { h in h?.write(Data(line.utf8)) }
        }
    }

    let label: String
    let sink: Sink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let stamp = Date().formatted(.iso8601)
        sink.write("\(stamp) \(event.level) \(label): \(event.message)\n")
    }
}
