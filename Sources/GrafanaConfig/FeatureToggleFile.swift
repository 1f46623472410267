import Foundation

/// An ini file on disk whose feature toggles the endpoint reads and the
/// `--enable-scim` flag (and later the wizard) writes.
public struct FeatureToggleFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public static let scimToggle = "enableSCIM"

    /// The file's contents, or an empty file when it does not exist.
    public func read() throws -> IniFile {
        guard FileManager.default.fileExists(atPath: path) else { return IniFile(text: "") }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let text = String(data: data, encoding: .utf8) else {
            throw CocoaError(.fileReadInapplicableStringEncoding, userInfo: [NSFilePathErrorKey: path])
        }
        return IniFile(text: text)
    }

    /// Writes `ini` atomically (temporary file, then rename), keeping a
    /// timestamped backup of the previous file beside it. Returns the backup's path.
    @discardableResult
    public func write(_ ini: IniFile, now: Date = Date()) throws -> String? {
        let fm = FileManager.default
        var backup: String?
        if fm.fileExists(atPath: path) {
            let stamp = Self.stamp(now)
            backup = "\(path).\(stamp).bak"
            try? fm.removeItem(atPath: backup!)
            try fm.copyItem(atPath: path, toPath: backup!)
        }
        try Data(ini.text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return backup
    }

    static func stamp(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
