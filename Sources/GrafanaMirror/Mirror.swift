import Directory
import Foundation
import NIOHTTP1
import NIOPosix
import SCIM
import ServiceLifecycle
import Setup
import Synchronization

/// A real Grafana's users and teams, kept in a data set of their own
/// (`store`, one per Grafana: `Mirror.storePath`) and kept current:
/// - a whole paged read of `/Users`, then `/Groups`, at the start and every
///   `interval`, or at once after `readAgainNow`, which catches changes
///   made elsewhere (Grafana's UI, another IdP);
/// - each answer Grafana gives to a request the console sees (`apply`: the
///   relay's, the console's own), as it comes.
///
/// It reads with the token it is given, held in memory only; without one it
/// reads nothing and says so (`MirrorState.Phase.noToken`). A service: its
/// reads stop, and its HTTP client closes, when the service group shuts down.
public final class Mirror: Service, Sendable {
    /// The Grafana mirrored, as its connector URL.
    public let target: ConnectorURL
    /// The mirror's own data set.
    public let store: Directory
    /// Where the console's own requests to Grafana are logged: the console's request log.
    let log: RequestLog?
    private let token: String?
    public let interval: Duration
    let client: GrafanaClient
    private let current: Mutex<MirrorState>
    private let wakeRequested = Atomic<Bool>(false)
    /// The ids answers wrote while a whole read is under way: kept when it ends,
    /// though the pages read before them did not list them.
    private let touched = Mutex<[MirroredCollection: Set<String>]?>(nil)
    private let observers = Mutex<[@Sendable (MirrorState) -> Void]>([])
    /// Resources waiting to be read back after a change answered without a body.
    private let readBacksDue = Mutex<Set<String>>([])
    /// How long a read-back waits, so a burst of changes to one team (Okta's
    /// membership PATCHes, each a 204) costs Grafana one read, not one each.
    static let readBackDelay: Duration = .milliseconds(300)

    /// Resources a page: for users the most Grafana's SCIM API returns
    /// (`filter.maxResults`); for teams fewer, as a team carries its members.
    static func pageSize(_ collection: MirroredCollection) -> Int { collection == .users ? 1000 : 100 }

    public init(target: ConnectorURL, store: Directory, log: RequestLog?, token: String?,
                interval: Duration = .seconds(60), verifyTLS: Bool = true) {
        self.target = target
        self.store = store
        self.log = log
        self.token = token
        self.interval = interval
        let base = "\(target.base.scheme)://\(target.base.host)\(target.base.path)"
        client = GrafanaClient(target: GrafanaTarget(kind: .selfHosted, baseURL: base, credentials: .token(token ?? ""),
                                                     verifyTLS: verifyTLS),
                               requestTimeout: .seconds(60))
        current = Mutex(MirrorState(phase: token == nil ? .noToken : .waiting))
    }

    public var state: MirrorState { current.withLock { $0 } }
    public var hasToken: Bool { token != nil }
    /// The connector URL: the SCIM base every read and action goes to.
    public var scimBase: String { target.description }
    /// `host · namespace`, as the header and the dialogs name the Grafana.
    public var name: String { "\(target.host) (\(target.namespace))" }

    /// Calls `observer` with the state each time it changes (a read starts,
    /// a page is in, a read ends or fails): the console redraws its header.
    public func onStateChange(_ observer: @escaping @Sendable (MirrorState) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// Starts a whole read now, or as soon as the one under way ends.
    public func readAgainNow() { wakeRequested.store(true, ordering: .relaxed) }

    public func run() async throws {
        if token != nil {
            await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await self.readWhole()
                    await self.waitForNextRead()
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        await shutdown()
    }

    /// Closes the HTTP client; `run` does it when the service stops. Must be
    /// called before a mirror that never ran is dropped.
    public func shutdown() async {
        await client.shutdown()
    }

    func waitForNextRead() async {
        let due = ContinuousClock.now + interval
        while ContinuousClock.now < due, !Task.isCancelled {
            if wakeRequested.exchange(false, ordering: .relaxed) { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    // MARK: the whole read

    /// Reads every user, then every team (members name users), writing each
    /// page as it comes. Only when both were read whole does it remove what
    /// Grafana no longer lists: a read cut short removes nothing.
    public func readWhole() async {
        wakeRequested.store(false, ordering: .relaxed)
        // Filling an empty mirror is one change, not one a row.
        let quiet = await blocking { [store] in (try? store.userCount()) == 0 && (try? store.groupCount()) == 0 }
        touched.withLock { $0 = [:] }
        defer { touched.withLock { $0 = nil } }
        do {
            var listed: [MirroredCollection: Set<String>] = [:]
            var complete = true
            for collection in MirroredCollection.allCases {
                setPhase(.reading(collection: collection, done: 0, total: nil))
                let read = try await readCollection(collection, quiet: quiet)
                listed[collection] = read.ids
                complete = complete && read.complete
            }
            if complete {
                let answered = touched.withLock { $0 ?? [:] }
                let kept = listed.merging(answered) { $0.union($1) }
                try await blocking { [store] in try store.mirrorKeepOnly(kept) }
            }
            let now = Date()
            announce(current.withLock { state in
                state = MirrorState(phase: .read, lastRead: now)
                return state
            })
        } catch let failure as MirrorFailure {
            setPhase(.failed(reason: failure.sentence))
        } catch {
            setPhase(.failed(reason: "The mirror could not be written: \(StorageErrorText.sentence(error))"))
        }
    }

    struct CollectionRead {
        var ids: Set<String> = []
        /// Every resource the collection's total counted was read.
        var complete = false
    }

    /// One collection, page by page, the phase saying how far after each page.
    func readCollection(_ collection: MirroredCollection, quiet: Bool) async throws -> CollectionRead {
        var result = CollectionRead()
        var start = 1
        var read = 0
        while true {
            let url = "\(scimBase)\(collection.endpoint)?startIndex=\(start)&count=\(Self.pageSize(collection))"
            let answer = try await exchange(.GET, url: url, body: nil, purpose: "mirror read", logAlways: false)
            guard answer.status == 200, let json = answer.json,
                  let total = json[attribute: "totalResults"]?.numberValue.map({ Int($0) })
            else {
                throw MirrorFailure.answer(answer, request: "GET …\(collection.endpoint)", path: Self.path(of: url))
            }
            let items = json[attribute: "Resources"]?.arrayValue ?? []
            try await blocking { [store] in try store.mirror(collection, items, quiet: quiet) }
            for item in items { if let id = item[attribute: "id"]?.stringValue { result.ids.insert(id) } }
            read += items.count
            setPhase(.reading(collection: collection, done: read, total: total))
            if read >= total {
                result.complete = true
                return result
            }
            // Fewer than the total, and nothing more: the collection shrank while it was read.
            if items.isEmpty { return result }
            start += items.count
        }
    }

    // MARK: answers

    /// Applies Grafana's answer to a request: the resource it returned (a
    /// list's too), or its absence after a DELETE or a 404. A change
    /// answered without a body is read back (with the mirror's token).
    /// Requests outside this Grafana's SCIM paths are ignored.
    public func apply(method: String, path: String, status: Int, body: [UInt8]) async {
        guard let route = SCIMRoute(path: path, namespace: "\(target.namespace)") else { return }
        let collection = route.collection
        let json = (200..<300).contains(status) && !body.isEmpty ? try? JSONCoding.parse(body) : nil
        do {
            if let json, json[attribute: "schemas"]?.arrayValue?.contains(.string(SchemaURN.listResponse)) == true {
                let items = json[attribute: "Resources"]?.arrayValue ?? []
                note(collection, ids: items.compactMap { $0[attribute: "id"]?.stringValue })
                try await blocking { [store] in try store.mirror(collection, items) }
            } else if let id = route.id, method == "DELETE" && (200..<300).contains(status) || status == 404 {
                try await blocking { [store] in try store.mirrorRemove(collection, id: id) }
            } else if let json, case .object = json, json[attribute: "id"] != nil {
                note(collection, ids: [json[attribute: "id"]?.stringValue].compactMap { $0 })
                try await blocking { [store] in try store.mirror(collection, [json]) }
            } else if let id = route.id, (200..<300).contains(status), method != "GET", token != nil {
                let url = "\(scimBase)\(collection.endpoint)/\(id)"
                guard readBacksDue.withLock({ $0.insert(url).inserted }) else { return }
                try? await Task.sleep(for: Self.readBackDelay)
                readBacksDue.withLock { _ = $0.remove(url) }
                let answer = try await exchange(.GET, url: url, body: nil, purpose: "mirror read", logAlways: false)
                await apply(method: "GET", path: Self.path(of: url), status: answer.status, body: answer.body)
            }
        } catch {
            // A failed write or read-back leaves the row to the next whole read, which mends it.
        }
    }

    private func note(_ collection: MirroredCollection, ids: [String]) {
        touched.withLock { sets in sets?[collection, default: []].formUnion(ids) }
    }

    private func setPhase(_ phase: MirrorState.Phase) {
        announce(current.withLock { state in
            state.phase = phase
            return state
        })
    }

    private func announce(_ state: MirrorState) {
        for observer in observers.withLock({ $0 }) { observer(state) }
    }

    // MARK: talking to Grafana

    /// The User-Agent of the console's own requests to Grafana: logged as the console's.
    static func userAgent(_ purpose: String) -> String { "\(LoggedRequest.consoleUserAgentPrefix) (\(purpose), on Grafana)" }

    /// Sends one request with the mirror's token. It is logged in the
    /// console's request log when `logAlways`, or when Grafana refused it;
    /// routine reads that went well are not, or every re-read would fill the log.
    func exchange(_ method: HTTPMethod, url: String, body: [UInt8]?, purpose: String, logAlways: Bool,
                  resourceID: String? = nil, before: String? = nil) async throws -> GrafanaClient.Answer {
        guard let token else { throw MirrorFailure.noToken }
        let start = Date()
        let answer: GrafanaClient.Answer
        do {
            answer = try await client.send(method, "", rawBody: body, authorization: "Bearer \(token)", absoluteURL: url,
                                           userAgent: Self.userAgent(purpose), maxBytes: 256 << 20)
        } catch {
            throw MirrorFailure(sentence: error.description)
        }
        if logAlways || !(200..<300).contains(answer.status), let log {
            let query = url.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            let entry = LoggedRequest(
                time: start, method: method.rawValue, path: Self.path(of: url), query: query, status: answer.status,
                duration: Date().timeIntervalSince(start), client: "local", userAgent: Self.userAgent(purpose),
                requestHeaderText: "Host: \(target.host)\nAuthorization: Bearer [redacted]"
                    + (body == nil ? "" : "\nContent-Type: application/json"),
                requestBody: body.map { String(decoding: $0, as: UTF8.self) } ?? "",
                responseBytes: Array(answer.body.prefix(64 * 1024)), resourceID: resourceID, resourceBefore: before)
            _ = log.logSoon(entry)
        }
        return answer
    }

    /// A URL's path, without scheme, host and query.
    static func path(of url: String) -> String {
        guard let u = URLComponents(string: url) else { return url }
        return u.percentEncodedPath
    }

    /// Runs blocking store work on NIO's blocking pool, off the event loops that serve Okta.
    func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        // The singleton pool is never shut down: `runIfActive` cannot fail here.
        (try? await NIOThreadPool.singleton.runIfActive(work))!
    }
}

/// Where a SCIM request points: `…/namespaces/NS/Users[/id]` or `…/Groups[/id]`.
struct SCIMRoute {
    var collection: MirroredCollection
    var id: String?

    init?(path: String, namespace: String) {
        let marker = "/namespaces/\(namespace)/"
        guard let r = path.range(of: marker) else { return nil }
        let parts = path[r.upperBound...].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, let collection = MirroredCollection(rawValue: first), parts.count <= 2 else { return nil }
        self.collection = collection
        id = parts.count == 2 && !parts[1].isEmpty ? parts[1].removingPercentEncoding ?? parts[1] : nil
    }
}

/// Why a read or action on Grafana failed, as one sentence.
public struct MirrorFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var sentence: String
    public var description: String { sentence }

    static let noToken = MirrorFailure(sentence: "The mirror has no token: give one with --token-file or GRAFANA_TOKEN.")

    /// A non-2xx (or unreadable 200) answer: Grafana's status, then the likely cause.
    static func answer(_ answer: GrafanaClient.Answer, request: String, path: String) -> MirrorFailure {
        let why = FailureExplanations.explain(method: "GET", path: path, status: answer.status,
                                              body: String(decoding: answer.body, as: UTF8.self))?.line
        return MirrorFailure(sentence: "Grafana answered \(answer.status) to \(request): " + (why ?? answer.message))
    }
}

extension Mirror {
    /// The mirror's database for `target` inside a data directory: a
    /// folder of its own under `mirrors/`, named for the host and namespace.
    public static func storePath(dataDirectory: String, target: ConnectorURL) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        let folder = "\(target.host)-\(target.namespace)\(target.base.path)".map { allowed.contains($0) ? $0 : "_" }
        return "\(dataDirectory)/mirrors/\(String(folder))/\(Directory.fileName)"
    }
}
