import Foundation

/// Where a mirror stands: reading Grafana, read, failed, or without the
/// token it reads with. The live pane's header shows it.
public struct MirrorState: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// No token was given: the mirror reads nothing.
        case noToken
        /// Started, not read yet.
        case waiting
        case reading(Progress)
        /// The last whole read ended then.
        case read(at: Date)
        /// The last read failed, for this reason (one sentence).
        case failed(reason: String, at: Date)
    }

    /// How far a read has come.
    public struct Progress: Sendable, Equatable {
        public var users = 0
        public var totalUsers: Int?
        public var teams = 0
        public var totalTeams: Int?
        /// Users are read first (teams' members name them), then teams.
        public var readingTeams = false
    }

    public var phase: Phase
    /// When the last whole read ended, whatever came after.
    public var lastRead: Date?

    /// The header's words for it: `reading Grafana: 4,200 / 12,000 users`.
    public var headline: String {
        switch phase {
        case .noToken: return "no token: traffic only"
        case .waiting: return "reading Grafana…"
        case .reading(let p):
            let (done, total, what) = p.readingTeams ? (p.teams, p.totalTeams, "teams") : (p.users, p.totalUsers, "users")
            return "reading Grafana: \(Self.count(done)) / \(total.map(Self.count) ?? "?") \(what)"
        case .read: return "mirror current"
        case .failed: return "Grafana read failed"
        }
    }

    /// The headline in fewer cells, for a narrow header: `reading 4,200/12,000 users`.
    public var shortHeadline: String? {
        guard case .reading(let p) = phase else { return nil }
        let (done, total, what) = p.readingTeams ? (p.teams, p.totalTeams, "teams") : (p.users, p.totalUsers, "users")
        return "reading \(Self.count(done))/\(total.map(Self.count) ?? "?") \(what)"
    }

    /// 12000 as `12,000`.
    static func count(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
