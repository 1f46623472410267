import Foundation
import GrafanaConfig
import Synchronization

/// Reads the endpoint's ini file for `enableSCIM`, re-reading it only when
/// its modification time or size changes, so an edit (by the wizard or by
/// hand) takes effect without a restart and an unchanged file costs one `stat`.
///
/// While SCIM is on, `scimEnabled` trusts its last look for `onFor` before
/// looking again, rather than a `stat` on every request.
/// Turning the toggle off therefore takes effect within a tenth of a second.
/// While it is off, every request looks, so turning it on (what the setup
/// wizard does, and then checks at once) takes effect on the very next one.
final class ToggleWatcher: Sendable {
    let file: FeatureToggleFile
    private struct Snapshot { var mtime: Double; var size: Int64; var ini: IniFile; var scimEnabled: Bool }
    private let cached = Mutex<Snapshot?>(nil)
    /// When `scimEnabled` last found SCIM on, if it did on its last look.
    private let onSince = Mutex<ContinuousClock.Instant?>(nil)
    static let onFor: Duration = .milliseconds(100)

    init(path: String) { file = FeatureToggleFile(path: path) }

    var ini: IniFile { snapshot.ini }

    /// Asked on every SCIM request, so it is worked out once per version of the file.
    var scimEnabled: Bool {
        let now = ContinuousClock.now
        if let since = onSince.withLock({ $0 }), now - since < Self.onFor { return true }
        let enabled = snapshot.scimEnabled
        onSince.withLock { $0 = enabled ? now : nil }
        return enabled
    }

    private var snapshot: Snapshot {
        var st = stat()
        guard stat(file.path, &st) == 0 else {
            cached.withLock { $0 = nil }
            return Snapshot(mtime: 0, size: 0, ini: IniFile(text: ""), scimEnabled: false)
        }
        let mtime = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        let size = Int64(st.st_size)
        if let snap = cached.withLock({ $0 }), snap.mtime == mtime, snap.size == size { return snap }
        let ini = (try? file.read()) ?? IniFile(text: "")
        let snap = Snapshot(mtime: mtime, size: size, ini: ini,
                            scimEnabled: ini.toggleState(FeatureToggleFile.scimToggle) == .on)
        cached.withLock { $0 = snap }
        return snap
    }

    /// Every toggle the file turns on, for `/api/frontend/settings`.
    var enabledToggles: [String] { ini.enabledToggles }
}
