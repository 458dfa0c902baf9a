/// A Prometheus-style histogram: counts of observations at or under each bucket's upper bound,
/// their sum and their number. A value type, kept by its one owner and copied out to render.
public struct Histogram: Hashable, Sendable {
    /// Upper bounds, ascending; `+Inf` is implied.
    public let bounds: [Double]
    /// Observations at or under each bound (not cumulative; rendering accumulates).
    public private(set) var counts: [UInt64]
    public private(set) var sum: Double = 0
    public private(set) var count: UInt64 = 0

    /// Latency buckets in seconds, 50 µs to 10 s.
    public static let latencyBounds: [Double] = [
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    public init(bounds: [Double] = Histogram.latencyBounds) {
        precondition(bounds == bounds.sorted(), "histogram bounds must ascend")
        self.bounds = bounds
        self.counts = Array(repeating: 0, count: bounds.count)
    }

    public mutating func observe(_ value: Double) {
        guard value.isFinite else { return }
        sum += value
        count += 1
        // Few buckets: a linear scan beats a binary search here.
        if let i = bounds.firstIndex(where: { value <= $0 }) { counts[i] += 1 }
    }

    public mutating func observe(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        observe(Double(seconds) + Double(attoseconds) / 1e18)
    }
}
