import Foundation
import PlainErrors
import GrafanaConfig

/// Step 2 of the guide: turn on `enableSCIM` (and the `[auth.scim]` sync
/// switches) in a Grafana ini file — read it, say what it holds, show the
/// change as a diff, then write it atomically with a backup.
public enum FeatureToggleStep {
    public static let toggle = FeatureToggleFile.scimToggle
    public static let scimSection = "auth.scim"
    public static let syncKeys = ["user_sync_enabled", "group_sync_enabled"]
    public static let oldKey = "allow_non_provisioned_users"

    /// What a file says about SCIM.
    public struct Report: Sendable, Equatable {
        public var path: String
        public var exists: Bool
        public var toggle: ToggleState
        /// How the toggle is set: the per-toggle key, the `enable` list, or nowhere.
        public var form: String
        public var userSync: String?
        public var groupSync: String?
        public var hasOldKey: Bool

        /// One sentence per finding, warnings last.
        public var findings: [String] {
            var lines: [String] = []
            if !exists { lines.append("\(path) does not exist yet; it will be created.") }
            switch toggle {
            case .on: lines.append("enableSCIM is on (\(form)).")
            case .off: lines.append("enableSCIM is off (\(form)).")
            case .unset: lines.append("enableSCIM is not set in this file.")
            }
            lines.append("[auth.scim] user_sync_enabled = \(userSync ?? "unset (false)"), group_sync_enabled = \(groupSync ?? "unset (false)").")
            if hasOldKey {
                lines.append("Warning: [auth.scim] allow_non_provisioned_users is no longer read (replaced in July 2025 by reject_non_provisioned_users, with the opposite meaning); remove it and set the new key if you need it.")
            }
            return lines
        }

        public var needsChange: Bool {
            toggle != .on || FeatureToggleStep.syncKeys.contains { key in
                (key == "user_sync_enabled" ? userSync : groupSync).flatMap(IniFile.parseBool) != true
            }
        }
    }

    /// A change ready to write: the exact new text and what differs.
    public struct Change: Sendable, Equatable {
        public var path: String
        public var before: IniFile
        public var after: IniFile
        public var report: Report
        public var diff: [DiffLine]
        public var isEmpty: Bool { before == after }
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads `path` and plans the change; an unreadable or unparsable file is a `Failure`.
    public static func plan(path: String) throws(Failure) -> Change {
        let file = FeatureToggleFile(path: path)
        let exists = FileManager.default.fileExists(atPath: path)
        var isDirectory: ObjCBool = false
        if exists, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Failure(description: "\(path) is a directory: give the path of the ini file itself.")
        }
        let ini: IniFile
        do { ini = try file.read() } catch {
            throw Failure(description: "Cannot read \(path): \(PlainErrorText.reason(error)). Nothing was changed.")
        }
        if let problem = ini.problems.first {
            throw Failure(description: "\(path) cannot be parsed as Grafana reads it (\(problem)); fix that line by hand. Nothing was changed.")
        }
        let report = self.report(ini, path: path, exists: exists)
        var after = ini
        if report.toggle != .on { after.enableToggle(toggle) }
        for key in syncKeys where after.value(section: scimSection, key: key).flatMap(IniFile.parseBool) != true {
            after.set(section: scimSection, key: key, value: "true")
        }
        return Change(path: path, before: ini, after: after, report: report,
                      diff: LineDiff.lines(before: ini.lines, after: after.lines))
    }

    public static func report(_ ini: IniFile, path: String, exists: Bool) -> Report {
        let state = ini.toggleState(toggle)
        let form: String
        if let v = ini.value(section: IniFile.featureToggleSection, key: toggle) {
            form = "[feature_toggles] \(toggle) = \(v)"
        } else if state == .on {
            form = "listed in [feature_toggles] enable"
        } else {
            form = "not set"
        }
        return Report(path: path, exists: exists, toggle: state, form: form,
                      userSync: ini.value(section: scimSection, key: "user_sync_enabled"),
                      groupSync: ini.value(section: scimSection, key: "group_sync_enabled"),
                      hasOldKey: ini.value(section: scimSection, key: oldKey) != nil)
    }

    /// Writes a planned change, unless the file changed since it was read
    /// (someone edited it meanwhile): then nothing is written. Returns the backup's path.
    @discardableResult
    public static func apply(_ change: Change, now: Date = Date()) throws(Failure) -> String? {
        guard !change.isEmpty else { return nil }
        let file = FeatureToggleFile(path: change.path)
        let current: IniFile
        do { current = try file.read() } catch {
            throw Failure(description: "Cannot read \(change.path) again: \(PlainErrorText.reason(error)). Nothing was changed.")
        }
        guard current == change.before else {
            throw Failure(description: "\(change.path) changed since it was read; review the change again. Nothing was changed.")
        }
        do {
            return try file.write(change.after, now: now)
        } catch {
            throw Failure(description: "Cannot write \(change.path): \(PlainErrorText.reason(error)). The file is unchanged; fix its permissions or turn the toggle on by hand.")
        }
    }

    /// The environment-variable way, for the Grafana version that answered (nil: unknown).
    public static func environmentInstructions(version: String?) -> [String] {
        let major = version.flatMap { Int($0.split(separator: ".").first ?? "") }
        var lines = ["Or, without editing a file, set an environment variable for Grafana's process:"]
        let old = "  GF_FEATURE_TOGGLES_ENABLE=enableSCIM   (Grafana up to 12; a comma-separated list)"
        let new = "  GF_FEATURE_TOGGLES_enableSCIM=true     (Grafana 13 and later; the name is case-sensitive)"
        switch major {
        case .some(let m) where m >= 13: lines += [new, old]
        default: lines += [old, new]
        }
        lines.append("Grafana reads its configuration at start: restart it after the change (for example: sudo systemctl restart grafana-server).")
        return lines
    }

    /// What to do on Grafana Cloud, where there is no file to edit.
    public static let cloudInstructions = [
        "Grafana Cloud has no grafana.ini you can edit: Grafana Labs manages the feature toggles of your stack.",
        "On current stacks enableSCIM is on already: open Administration › Authentication › SCIM in your stack to check.",
        "If SCIM is not there, ask Grafana Cloud support to enable the enableSCIM feature toggle for your stack.",
    ]

    /// Where a self-hosted Grafana keeps its ini, in the order Grafana's packages use.
    public static let candidatePaths = [
        "/etc/grafana/grafana.ini",
        "/usr/local/etc/grafana/grafana.ini",
        "/opt/homebrew/etc/grafana/grafana.ini",
        "/usr/share/grafana/conf/custom.ini",
        "conf/custom.ini",
    ]

    /// The candidate paths that exist here.
    public static func foundConfigFiles(in candidates: [String] = candidatePaths) -> [String] {
        candidates.filter { FileManager.default.fileExists(atPath: $0) }
    }
}
