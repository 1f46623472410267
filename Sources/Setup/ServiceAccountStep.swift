import Foundation

/// Step 3 of the guide: a service account (role Admin by default) and a
/// token for Okta. An existing account of the same name is reused.
public enum ServiceAccountStep {
    public static let defaultName = "okta-scim"
    public static let roles = ["Admin", "None"]
    public static let roleExplanations = [
        "what the guide asks for: Okta may create, update and deactivate users and teams",
        "narrower: then grant only org.users:read/write/add/remove and teams:read/create/write/delete in Grafana",
    ]

    public static func validate(name: String) -> String? {
        let t = name.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return "Give the service account a name, for example okta-scim." }
        if t.count > 190 { return "The name is too long: keep it under 190 characters." }
        return nil
    }

    public static func validate(tokenName: String) -> String? {
        let t = tokenName.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return "Give the token a name, for example okta-scim." }
        if t.count > 190 { return "The token name is too long: keep it under 190 characters." }
        return nil
    }

    public enum Outcome: Sendable, Equatable {
        case created(account: GrafanaServiceAccount, reused: Bool, token: CreatedToken)
        /// The token name is taken on this account; `proposal` is free.
        case tokenNameTaken(account: GrafanaServiceAccount, proposal: String)
    }

    public static func run(_ client: GrafanaClient, name: String, role: String, tokenName: String)
        async throws(GrafanaClientError) -> (Outcome, StepReport)
    {
        var report = StepReport()
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        let account: GrafanaServiceAccount
        let reused: Bool
        if let existing = try await client.serviceAccount(named: trimmed) {
            account = existing
            reused = true
            report.add(.ok, "Reusing the existing service account \"\(existing.name)\" (id \(existing.id), role \(existing.role)).")
            if existing.role != role {
                report.add(.warn, "It has role \(existing.role), not \(role): change it under Administration › Users and access › Service accounts if Okta gets 403.")
            }
        } else {
            account = try await client.createServiceAccount(name: trimmed, role: role)
            reused = false
            report.add(.ok, "Created the service account \"\(account.name)\" (id \(account.id), role \(account.role)).")
        }
        let wanted = tokenName.trimmingCharacters(in: .whitespaces)
        do {
            let token = try await client.createToken(accountID: account.id, name: wanted)
            report.add(.ok, "Created the token \"\(token.name)\": it is shown once; copy it now.")
            return (.created(account: account, reused: reused, token: token), report)
        } catch .conflict {
            let taken = Set(try await client.tokenNames(accountID: account.id))
            let proposal = freeName(wanted, taken: taken)
            report.add(.warn, "A token named \"\(wanted)\" already exists on this account; \"\(proposal)\" is free.")
            return (.tokenNameTaken(account: account, proposal: proposal), report)
        }
    }

    /// `base-2`, `base-3`, … the first not in `taken`.
    public static func freeName(_ base: String, taken: Set<String>) -> String {
        var n = 2
        while taken.contains("\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
    }
}

/// Saves a token where the admin asked, readable by its owner only (0600).
/// An existing file is not overwritten.
public enum TokenFile {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Whether a token could be saved at `path`: its folder exists and is
    /// writable, and nothing is there yet. Checked before a token is made,
    /// so that a token is never made only to be lost.
    public static func checkDestination(_ path: String) throws(Failure) {
        let expanded = (path as NSString).expandingTildeInPath
        let folder = (expanded as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        let fm = FileManager.default
        if fm.fileExists(atPath: expanded) {
            throw Failure(description: "\(expanded) exists already; choose another path (the console does not overwrite token files).")
        }
        guard fm.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw Failure(description: "Cannot save the token in \(expanded): the folder \(folder) does not exist. Create it, or choose another --token-file.")
        }
        guard fm.isWritableFile(atPath: folder.isEmpty ? "." : folder) else {
            throw Failure(description: "Cannot save the token in \(expanded): the folder \(folder) is not writable (Permission denied).")
        }
    }

    public static func save(_ token: CreatedToken, to path: String) throws(Failure) {
        let expanded = (path as NSString).expandingTildeInPath
        let fd = open(expanded, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw Failure(description: errno == EEXIST
                ? "\(expanded) exists already; choose another path (the console does not overwrite token files)."
                : "Cannot create \(expanded): \(reason).")
        }
        defer { close(fd) }
        fchmod(fd, 0o600)  // the umask may have narrowed it further, never widened; make it exact
        let bytes = Array((token.key + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            unlink(expanded)
            throw Failure(description: "Cannot write \(expanded): \(String(cString: strerror(errno))).")
        }
    }
}

/// Step 3 in the guide: the service account's name and role, and the token's name.
extension ServiceAccountStep: GuideStep {
    public static let step = SetupStep.serviceAccount

    public static func inputs(in context: GuideContext) -> [SetupInput] { [.accountName, .role, .tokenName] }

    public static func problems(in context: GuideContext) -> [SetupInput: String] {
        var problems: [SetupInput: String] = [:]
        if let m = validate(name: context.answers.serviceAccountName) { problems[.accountName] = m }
        if let m = validate(tokenName: context.answers.tokenName) { problems[.tokenName] = m }
        if !roles.contains(context.answers.role) { problems[.role] = "The role is Admin (as the guide says) or None." }
        return problems
    }
}
