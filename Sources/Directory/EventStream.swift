import Synchronization

/// Fans events out to any number of subscribers, each with its own bounded
/// buffer, so a slow subscriber drops its oldest events instead of slowing writers.
/// A subscriber that lost events is told so by `overflow`, queued after the
/// newest: what it keeps up to date from events (the console's kept filter
/// matches) it must read anew.
public final class EventStream<Event: Sendable>: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<Event>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)
    private let bufferSize: Int
    private let overflow: Event?

    public init(bufferSize: Int = 10_000, overflow: Event? = nil) {
        self.bufferSize = bufferSize
        self.overflow = overflow
    }

    /// A stream of every event published from now on.
    public func subscribe() -> AsyncStream<Event> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    public func publish(_ event: Event) {
        let current = subscribers.withLock { Array($0.values) }
        for continuation in current {
            if case .dropped = continuation.yield(event), let overflow { continuation.yield(overflow) }
        }
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}
