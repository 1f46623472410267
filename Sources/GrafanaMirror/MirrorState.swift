import Directory
import Foundation

/// Where a mirror stands: reading Grafana, read, failed, or without the
/// token it reads with. The live pane's header shows it.
public struct MirrorState: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// No token was given: the mirror reads nothing.
        case noToken
        /// Started, not read yet.
        case waiting
        /// A whole read is under way: this collection, this far.
        case reading(collection: MirroredCollection, done: Int, total: Int?)
        /// The last whole read ended well (at `lastRead`).
        case read
        /// The last read failed, for this reason (one sentence).
        case failed(reason: String)
    }

    public var phase: Phase
    /// When the last whole read ended, whatever came after.
    public var lastRead: Date?
}
