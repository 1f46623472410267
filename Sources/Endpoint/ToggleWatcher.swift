import Foundation
import GrafanaConfig
import Synchronization

/// Reads the endpoint's ini file for `enableSCIM`, re-reading it only when
/// its modification time or size changes, so an edit (by the wizard or by
/// hand) takes effect without a restart and an unchanged file costs one `stat`.
final class ToggleWatcher: Sendable {
    let file: FeatureToggleFile
    private struct Snapshot { var mtime: Double; var size: Int64; var ini: IniFile }
    private let cached = Mutex<Snapshot?>(nil)

    init(path: String) { file = FeatureToggleFile(path: path) }

    var ini: IniFile {
        var st = stat()
        guard stat(file.path, &st) == 0 else {
            cached.withLock { $0 = nil }
            return IniFile(text: "")
        }
        let mtime = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        let size = Int64(st.st_size)
        if let snap = cached.withLock({ $0 }), snap.mtime == mtime, snap.size == size { return snap.ini }
        let ini = (try? file.read()) ?? IniFile(text: "")
        cached.withLock { $0 = Snapshot(mtime: mtime, size: size, ini: ini) }
        return ini
    }

    var scimEnabled: Bool { ini.toggleState(FeatureToggleFile.scimToggle) == .on }

    /// Every toggle the file turns on, for `/api/frontend/settings`.
    var enabledToggles: [String] { ini.enabledToggles }
}
