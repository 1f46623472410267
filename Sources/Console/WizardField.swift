import Setup
import TerminalUI

/// The wizard's input fields, across all steps: the guide's inputs, each shown as a field.
typealias WizardField = SetupInput

extension SetupInput {
    /// Choice fields pick one of a few options; the rest are text.
    var isChoice: Bool { [.target, .authMode, .tls, .role, .consoleMode].contains(self) }

    var isMasked: Bool { self == .secret || self == .pastedToken }

    static let targetOptions = ["Embedded endpoint", "Self-hosted Grafana", "Grafana Cloud"]
    static let targetDetails = ["inside scim-console; nothing to install", "your own server", "*.grafana.net"]
    static let targetKinds: [GrafanaTarget.Kind] = [.embedded, .selfHosted, .cloud]
    static let authOptions = ["Admin user and password", "Service account token"]
    static let tlsOptions = ["Verify the certificate", "Skip verification"]
    static let modeOptions = ["Watch only", "Relay Okta through scim-console"]
    static let modeDetails = ["Okta talks to Grafana; the console mirrors its users and teams",
                              "see what Okta sends and Grafana answers; Okta gets the relay's URL"]
    static let modes: [ConsoleMode] = [.watch, .relay]
}

extension SetupAnswers {
    /// The text a field shows, from the answers (secrets live elsewhere).
    func text(of field: WizardField) -> String {
        switch field {
        case .grafanaURL: return grafanaURL
        case .adminUser: return adminUser
        case .orgID: return orgID
        case .iniPath: return iniPath
        case .accountName: return serviceAccountName
        case .tokenName: return tokenName
        case .host: return host
        case .stackID: return stackID
        case .org: return org
        case .relayHost: return relayHost ?? ""
        default: return ""
        }
    }

    mutating func setText(_ text: String, of field: WizardField) {
        switch field {
        case .grafanaURL: grafanaURL = text
        case .adminUser: adminUser = text
        case .orgID: orgID = text
        case .iniPath: iniPath = text
        case .accountName: serviceAccountName = text
        case .tokenName: tokenName = text
        case .host: host = text
        case .stackID: stackID = text
        case .org: org = text
        case .relayHost: relayHost = text
        default: break
        }
    }

    func choice(of field: WizardField) -> Int {
        switch field {
        case .target: return WizardField.targetKinds.firstIndex(of: target) ?? 0
        case .authMode: return useToken ? 1 : 0
        case .tls: return verifyTLS ? 0 : 1
        case .role: return ServiceAccountStep.roles.firstIndex(of: role) ?? 0
        case .consoleMode: return WizardField.modes.firstIndex(of: mode) ?? 0
        default: return 0
        }
    }

    mutating func setChoice(_ index: Int, of field: WizardField) {
        switch field {
        case .target: target = WizardField.targetKinds[index]
        case .authMode: useToken = index == 1
        case .tls: verifyTLS = index == 0
        case .role: role = ServiceAccountStep.roles[index]
        case .consoleMode: consoleMode = WizardField.modes[index]
        default: break
        }
    }
}
