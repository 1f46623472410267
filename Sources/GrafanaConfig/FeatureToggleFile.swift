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

    /// Writes `ini` atomically (a temporary file beside it, then rename),
    /// keeping a timestamped backup of the previous file and its mode and
    /// owner: a `grafana.ini` readable only by the grafana group must stay so.
    /// Returns the backup's path.
    @discardableResult
    public func write(_ ini: IniFile, now: Date = Date()) throws -> String? {
        let fm = FileManager.default
        var backup: String?
        var attributes: [FileAttributeKey: Any] = [:]
        if fm.fileExists(atPath: path) {
            let old = try fm.attributesOfItem(atPath: path)
            for key in [FileAttributeKey.posixPermissions, .ownerAccountID, .groupOwnerAccountID] {
                if let v = old[key] { attributes[key] = v }
            }
            let stamp = Self.stamp(now)
            backup = "\(path).\(stamp).bak"
            try? fm.removeItem(atPath: backup!)
            try fm.copyItem(atPath: path, toPath: backup!)
        }
        let temporary = "\(path).scim-console-\(getpid()).tmp"
        try? fm.removeItem(atPath: temporary)
        guard fm.createFile(atPath: temporary, contents: Data(ini.text.utf8)) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        do {
            if !attributes.isEmpty {
                // Ownership can only be kept when running as root or the owner; the mode always.
                if let mode = attributes[.posixPermissions] {
                    try fm.setAttributes([.posixPermissions: mode], ofItemAtPath: temporary)
                }
                attributes.removeValue(forKey: .posixPermissions)
                try? fm.setAttributes(attributes, ofItemAtPath: temporary)
            }
            guard rename(temporary, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                    NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
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
