import Foundation

/// `scim-console serve` in a process of its own: the stand-in for a real
/// Grafana that tests talk to over HTTP. Apart from the test process, it
/// answers whatever the test's own threads are doing.
public enum ServeProcess {
    /// Starts `binary serve ARGUMENTS`, waits for its `Connector URL:` line
    /// (up to 20 s), and returns the process and that URL (empty if none came).
    public static func start(binary: String, _ arguments: [String]) throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let marker = "Connector URL: "
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !(text.range(of: marker).map { text[$0.upperBound...].contains("\n") } ?? false) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let line = text.split(separator: "\n").first { $0.hasPrefix(marker) } ?? ""
        return (process, String(line.dropFirst(marker.count)))
    }

    /// Stops it and waits until it has exited.
    public static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
