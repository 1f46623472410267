extension Duration {
    /// The duration in seconds, as the request log keeps durations.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
