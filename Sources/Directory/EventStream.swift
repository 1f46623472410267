import Synchronization

/// Fans events out to any number of subscribers, each with its own bounded
/// buffer, so a slow subscriber drops its oldest events instead of slowing writers.
public final class EventStream<Event: Sendable>: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<Event>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)
    private let bufferSize: Int

    public init(bufferSize: Int = 10_000) {
        self.bufferSize = bufferSize
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
        for continuation in current { continuation.yield(event) }
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}
