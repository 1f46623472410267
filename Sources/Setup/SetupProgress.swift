import Directory
import Foundation

/// The guide's steps, in order. Step 0 picks Grafana; steps 1–5 are the guide's.
public enum SetupStep: Int, Codable, CaseIterable, Sendable, Comparable {
    case grafana = 0, toggle, serviceAccount, connectorURL, okta, test

    public static func < (a: SetupStep, b: SetupStep) -> Bool { a.rawValue < b.rawValue }

    public var title: String {
        switch self {
        case .grafana: return "Where Grafana is"
        case .toggle: return "Turn on the enableSCIM feature toggle"
        case .serviceAccount: return "Service account and token"
        case .connectorURL: return "The connector URL"
        case .okta: return "What to enter in Okta"
        case .test: return "Test the connector"
        }
    }

    /// For the step rail.
    public var shortTitle: String {
        switch self {
        case .grafana: return "Grafana"
        case .toggle: return "enableSCIM toggle"
        case .serviceAccount: return "Service account"
        case .connectorURL: return "Connector URL"
        case .okta: return "Okta settings"
        case .test: return "Test connector"
        }
    }

    /// The step's number as a person counts: 1 to 6.
    public var number: Int { rawValue + 1 }

    /// How many steps there are, for "Step 2 of 6".
    public static let count = allCases.count

    public var next: SetupStep? { SetupStep(rawValue: rawValue + 1) }
    public var previous: SetupStep? { SetupStep(rawValue: rawValue - 1) }
}

/// Every answer the admin gave, kept so going back, quitting and resuming
/// lose nothing. Secrets (password, token) are never part of it.
public struct SetupAnswers: Codable, Equatable, Sendable {
    public var target: GrafanaTarget.Kind = .embedded
    public var grafanaURL = ""
    public var adminUser = "admin"
    /// Authenticate to a real Grafana with a token instead of user and password.
    public var useToken = false
    public var orgID = "1"
    public var verifyTLS = true
    public var iniPath = ""
    public var serviceAccountName = ServiceAccountStep.defaultName
    public var role = "Admin"
    public var tokenName = ServiceAccountStep.defaultName
    /// Where the token was saved, if the admin asked; the file is 0600.
    public var tokenFile = ""
    public var host = ""
    public var stackID = ""
    public var org = ""
    /// For a real Grafana: how the console follows it once set up (nil: not chosen yet, or the embedded endpoint).
    public var consoleMode: ConsoleMode?
    /// With `.relay`: the public host Okta reaches this console's relay at.
    public var relayHost: String?

    public init() {}
}

/// How the console follows a real Grafana once the guide is done: Okta's
/// requests pass through its relay, or Okta talks to Grafana directly and
/// the console only watches (mirrors) it.
public enum ConsoleMode: String, Codable, Sendable, CaseIterable {
    case relay, watch
}

/// Where the wizard is: its step, the answers, which steps were applied and what they reported.
public struct SetupProgress: Codable, Equatable, Sendable {
    public var step: SetupStep = .grafana
    public var answers = SetupAnswers()
    public var applied: Set<Int> = []
    public var reports: [Int: [String]] = [:]
    public var grafanaVersion: String?
    public var finished: Date?

    public init() {}

    public func isApplied(_ step: SetupStep) -> Bool { applied.contains(step.rawValue) }
}

/// Saves the wizard's progress in the data directory's database, so a quit
/// and restart resume the same step.
public struct SetupProgressStore: Sendable {
    public static let key = "setup.progress"
    /// The namespace the embedded endpoint serves, chosen in the connector URL step.
    public static let namespaceKey = "endpoint.namespace"
    let directory: Directory

    public init(directory: Directory) { self.directory = directory }

    /// The database file the progress is kept in.
    public var databasePath: String { directory.path }

    public func load() -> SetupProgress? {
        guard let text = try? directory.setting(Self.key), let data = text.data(using: .utf8) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(SetupProgress.self, from: data)
    }

    public func save(_ progress: SetupProgress) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        try directory.setSetting(Self.key, String(decoding: try encoder.encode(progress), as: UTF8.self))
    }

    public func reset() throws { try directory.setSetting(Self.key, nil) }

    /// True once the wizard reached its end.
    public var isFinished: Bool { load()?.finished != nil }

    public func savedNamespace() -> String? { try? directory.setting(Self.namespaceKey) }

    public func saveNamespace(_ namespace: String) throws { try directory.setSetting(Self.namespaceKey, namespace) }
}
