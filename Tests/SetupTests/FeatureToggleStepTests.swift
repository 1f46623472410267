import Foundation
import GrafanaConfig
import Testing
@testable import Setup
import TestSupport

/// The toggle step on real files in many real-world shapes, each checked byte for byte.
@Suite("Feature toggle step: ini files as found in the wild")
struct FeatureToggleStepTests {
    static let sync = "[auth.scim]\nuser_sync_enabled = true\ngroup_sync_enabled = true\n"

    func temporaryFile(_ text: String) throws -> String {
        let folder = ScratchFolder.make("scim-ini")
        let path = "\(folder)/grafana.ini"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Plans and applies the change to a file holding `text`; returns the file's bytes afterwards.
    func applied(_ text: String) throws -> String {
        let path = try temporaryFile(text)
        let change = try FeatureToggleStep.plan(path: path)
        let backup = try FeatureToggleStep.apply(change, now: Date(timeIntervalSince1970: 1_790_000_000))
        #expect(backup == "\(path).20260921T141320Z.bak")
        #expect(try Data(contentsOf: URL(fileURLWithPath: backup!)) == Data(text.utf8), "the backup is the old file, byte for byte")
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(IniFile(text: String(decoding: after, as: UTF8.self)).toggleState("enableSCIM") == .on)
        return String(decoding: after, as: UTF8.self)
    }

    @Test func noFeatureTogglesSection() throws {
        #expect(try applied("[server]\nhttp_port = 3000\n")
            == "[server]\nhttp_port = 3000\n\n[feature_toggles]\nenableSCIM = true\n\n" + Self.sync)
    }

    @Test func commentedEnableLineStaysAComment() throws {
        #expect(try applied("[feature_toggles]\n;enable =\n\n[paths]\ndata = /var/lib/grafana\n")
            == "[feature_toggles]\nenableSCIM = true\n;enable =\n\n[paths]\ndata = /var/lib/grafana\n\n" + Self.sync)
    }

    @Test func enableListWithOtherTogglesIsKept() throws {
        #expect(try applied("[feature_toggles]\nenable = publicDashboards,correlations\n")
            == "[feature_toggles]\nenable = publicDashboards,correlations\nenableSCIM = true\n\n" + Self.sync)
        #expect(try applied("[feature_toggles]\nenable = publicDashboards correlations\n")
            == "[feature_toggles]\nenable = publicDashboards correlations\nenableSCIM = true\n\n" + Self.sync)
    }

    @Test func enableListAlreadyHoldingSCIMOnlyGetsTheSyncSwitches() throws {
        let path = try temporaryFile("[feature_toggles]\nenable = foo, enableSCIM\n")
        let change = try FeatureToggleStep.plan(path: path)
        #expect(change.report.toggle == .on)
        #expect(change.report.form == "listed in [feature_toggles] enable")
        try FeatureToggleStep.apply(change)
        #expect(try String(contentsOfFile: path, encoding: .utf8)
            == "[feature_toggles]\nenable = foo, enableSCIM\n\n" + Self.sync)
    }

    @Test func falseBecomesTrue() throws {
        #expect(try applied("[feature_toggles]\nenableSCIM = false\n")
            == "[feature_toggles]\nenableSCIM = true\n\n" + Self.sync)
    }

    @Test func duplicateKeysChangeTheOneGrafanaReads() throws {
        #expect(try applied("[feature_toggles]\nenableSCIM = true\nenableSCIM = false\n")
            == "[feature_toggles]\nenableSCIM = true\nenableSCIM = true\n\n" + Self.sync)
    }

    @Test func crlfLineEndsAreKept() throws {
        #expect(try applied("; Grafana\r\n[feature_toggles]\r\nfoo = true\r\n[auth.scim]\r\nuser_sync_enabled = false\r\n")
            == "; Grafana\r\n[feature_toggles]\r\nfoo = true\r\nenableSCIM = true\r\n[auth.scim]\r\nuser_sync_enabled = true\r\ngroup_sync_enabled = true\r\n")
    }

    @Test func noTrailingNewline() throws {
        #expect(try applied("[feature_toggles]\nfoo = true")
            == "[feature_toggles]\nfoo = true\nenableSCIM = true\n\n" + Self.sync)
    }

    @Test func nonASCIICommentsSurvive() throws {
        #expect(try applied("# Grafana — configuration de l’équipe 日本\n[feature_toggles]\n; commentaire : café\n")
            == "# Grafana — configuration de l’équipe 日本\n[feature_toggles]\nenableSCIM = true\n; commentaire : café\n\n" + Self.sync)
    }

    @Test func alreadyDoneChangesNothing() throws {
        let text = "[feature_toggles]\nenableSCIM = true\n\n" + Self.sync
        let path = try temporaryFile(text)
        let change = try FeatureToggleStep.plan(path: path)
        #expect(change.isEmpty)
        #expect(change.diff.isEmpty)
        #expect(try FeatureToggleStep.apply(change) == nil)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: (path as NSString).deletingLastPathComponent).count == 1)
    }

    @Test func reportsFindingsAndTheOldKey() throws {
        let path = try temporaryFile("[auth.scim]\nallow_non_provisioned_users = true\nuser_sync_enabled = true\n")
        let change = try FeatureToggleStep.plan(path: path)
        #expect(change.report.toggle == .unset)
        #expect(change.report.userSync == "true")
        #expect(change.report.groupSync == nil)
        #expect(change.report.hasOldKey)
        #expect(change.report.findings.contains { $0.contains("allow_non_provisioned_users is no longer read") })
        #expect(change.diff.map(\.description) == [
            "  …", "  allow_non_provisioned_users = true", "  user_sync_enabled = true",
            "+ group_sync_enabled = true", "+ ", "+ [feature_toggles]", "+ enableSCIM = true",
        ])
    }

    @Test func unparsableFileIsLeftUntouched() throws {
        let text = "[feature_toggles]\nthis line is not an ini line\n"
        let path = try temporaryFile(text)
        #expect(throws: FeatureToggleStep.Failure.self) { try FeatureToggleStep.plan(path: path) }
        do {
            _ = try FeatureToggleStep.plan(path: path)
        } catch {
            #expect(error.description.contains("line 2"))
            #expect(error.description.contains("Nothing was changed"))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test func nonUTF8FileIsLeftUntouched() throws {
        let path = try temporaryFile("")
        let bytes = Data([0x5B, 0x61, 0x5D, 0x0A, 0xFF, 0xFE, 0x0A])
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: FeatureToggleStep.Failure.self) { try FeatureToggleStep.plan(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test func aFileChangedSinceReadingIsNotOverwritten() throws {
        let path = try temporaryFile("[server]\n")
        let change = try FeatureToggleStep.plan(path: path)
        try Data("[server]\nhttp_port = 1\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: FeatureToggleStep.Failure.self) { try FeatureToggleStep.apply(change) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "[server]\nhttp_port = 1\n")
    }

    @Test func modeIsKept() throws {
        let path = try temporaryFile("[server]\n")
        chmod(path, 0o640)
        try FeatureToggleStep.apply(try FeatureToggleStep.plan(path: path))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test func unwritablePlaceSaysSoAndWritesNothing() throws {
        // A folder that does not exist cannot take the temporary file, even for root.
        let path = ScratchFolder.path("scim-missing") + "/grafana.ini"
        let change = try FeatureToggleStep.plan(path: path)
        #expect(change.report.findings[0].contains("does not exist yet"))
        do {
            try FeatureToggleStep.apply(change)
            Issue.record("wrote into a missing folder")
        } catch {
            #expect(error.description.contains("Cannot write \(path)"))
            #expect(error.description.contains("unchanged"))
        }
        #expect(!FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent))
    }

    @Test func environmentVariablesFollowTheVersion() {
        #expect(FeatureToggleStep.environmentInstructions(version: "12.3.1")[1].contains("GF_FEATURE_TOGGLES_ENABLE=enableSCIM"))
        #expect(FeatureToggleStep.environmentInstructions(version: "13.0.0")[1].contains("GF_FEATURE_TOGGLES_enableSCIM=true"))
        #expect(FeatureToggleStep.environmentInstructions(version: nil).contains { $0.contains("restart") })
    }
}
