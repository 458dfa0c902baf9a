/// Per-device rate limits of a ``LinkServer``: one token bucket per device and per
/// ``MessageClass``, checked on the link's thread before a frame is decoded.
///
/// A frame over its bucket is not decoded and never reaches the coordinator: the link answers
/// it with an `error` (`rate_limited`) itself and counts it in ``LinkStatistics/rateLimited``.
/// Frames within the limits are delivered as before, so nothing accepted is lost; a device that
/// resends what was refused (detections, events and readings are resent until acknowledged)
/// gets it through once its bucket has refilled. See "Limits" in `docs/protocol.md`.
public struct LinkLimits: Hashable, Sendable {
    /// The kinds of traffic limited separately, read from a frame's `type` without decoding it.
    public enum MessageClass: Int, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        /// `telemetry`.
        case telemetry
        /// `detection` and `event`: acknowledged, resent until stored.
        case report
        /// `sensor_readings` batches.
        case readings
        /// `heartbeat`.
        case heartbeat
        /// Everything else: `hello`, acks, `hive_status`, `error`, and frames whose type cannot be read.
        case other

        public var description: String {
            switch self {
            case .telemetry: "telemetry"
            case .report: "detection/event"
            case .readings: "sensor_readings"
            case .heartbeat: "heartbeat"
            case .other: "other"
            }
        }
    }

    /// A token bucket: `rate` frames a second on average, and up to `burst` at once.
    public struct Bucket: Hashable, Sendable {
        public var rate: Double
        public var burst: Double

        public init(rate: Double, burst: Double) {
            self.rate = rate
            self.burst = burst
        }
    }

    public var telemetry = Bucket(rate: 20, burst: 40)
    public var report = Bucket(rate: 20, burst: 100)
    public var readings = Bucket(rate: 50, burst: 200)
    public var heartbeat = Bucket(rate: 5, burst: 10)
    public var other = Bucket(rate: 20, burst: 50)

    /// The defaults, documented in `docs/protocol.md`: ten times what a well-behaved device sends.
    public static let standard = LinkLimits()

    public init() {}

    /// Every bucket's rate and burst times `factor`: for devices simulated `factor` times faster
    /// than real time against a coordinator on the wall clock.
    public func scaled(by factor: Double) -> LinkLimits {
        var limits = self
        for kind in [MessageClass.telemetry, .report, .readings, .heartbeat, .other] {
            limits[kind] = Bucket(rate: self[kind].rate * factor, burst: self[kind].burst * factor)
        }
        return limits
    }

    public subscript(_ kind: MessageClass) -> Bucket {
        get {
            switch kind {
            case .telemetry: telemetry
            case .report: report
            case .readings: readings
            case .heartbeat: heartbeat
            case .other: other
            }
        }
        set {
            switch kind {
            case .telemetry: telemetry = newValue
            case .report: report = newValue
            case .readings: readings = newValue
            case .heartbeat: heartbeat = newValue
            case .other: other = newValue
            }
        }
    }

    /// The class of a frame from its `type` member, found by a scan of its first bytes rather than
    /// a decode (the coordinator writes and devices should write `type` near the start); a frame
    /// whose type is not found there counts as ``MessageClass/other``.
    static func classify(_ frame: [UInt8]) -> MessageClass {
        frame.withUnsafeBufferPointer { bytes -> MessageClass in
            let key: StaticString = "\"type\""
            let keyLength = key.utf8CodeUnitCount
            let end = min(bytes.count, 512)
            var i = 0
            while i + keyLength <= end {
                if bytes[i] == UInt8(ascii: "\""), matches(bytes, at: i, key) {
                    var j = i + keyLength
                    while j < end, isSpace(bytes[j]) { j += 1 }
                    guard j < end, bytes[j] == UInt8(ascii: ":") else { return .other }
                    j += 1
                    while j < end, isSpace(bytes[j]) { j += 1 }
                    guard j < end, bytes[j] == UInt8(ascii: "\"") else { return .other }
                    j += 1
                    if matches(bytes, at: j, "telemetry\"") { return .telemetry }
                    if matches(bytes, at: j, "detection\"") || matches(bytes, at: j, "event\"") { return .report }
                    if matches(bytes, at: j, "sensor_readings\"") { return .readings }
                    if matches(bytes, at: j, "heartbeat\"") { return .heartbeat }
                    return .other
                }
                i += 1
            }
            return .other
        }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, _ text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        guard offset + n <= bytes.count else { return false }
        let p = text.utf8Start
        for k in 0..<n where bytes[offset + k] != p[k] { return false }
        return true
    }
}

/// The buckets of every device on one server; used only on the link's thread.
struct RateLimiter {
    private struct Key: Hashable {
        var peer: PeerID
        var kind: Int
    }

    private struct State {
        var tokens: Double
        var updated: Double
        /// Frames refused since the last `error` answer, and when that answer went.
        var unanswered = 0
        var answered = -Double.infinity
    }

    let limits: LinkLimits
    private var states: [Key: State] = [:]
    /// Buckets remembered; past it, buckets that are full again are forgotten.
    private let capacity = 5 * 65_536

    init(limits: LinkLimits) { self.limits = limits }

    enum Verdict: Equatable {
        case accepted
        /// Refused. `answer` is set when an `error` is due: the number of frames of this class refused
        /// since the last answer, this one included. An answer is due for the first refusal and then at
        /// most once a second, so a device that floods and never reads cannot fill the outbound queue.
        case refused(answer: Int?)
    }

    /// Takes one token from `peer`'s bucket of `kind` at `now` (seconds on any monotonic scale).
    mutating func admit(_ peer: PeerID, _ kind: LinkLimits.MessageClass, now: Double) -> Verdict {
        let bucket = limits[kind]
        let key = Key(peer: peer, kind: kind.rawValue)
        if states.count >= capacity, states[key] == nil { forgetIdle(now: now) }
        // In place: no copy of the state per frame.
        return Self.take(from: &states[key, default: State(tokens: bucket.burst, updated: now)], bucket, now: now)
    }

    private static func take(from state: inout State, _ bucket: LinkLimits.Bucket, now: Double) -> Verdict {
        state.tokens = min(bucket.burst, state.tokens + max(0, now - state.updated) * bucket.rate)
        state.updated = max(state.updated, now)
        if state.tokens >= 1 {
            state.tokens -= 1
            return .accepted
        }
        state.unanswered += 1
        guard now - state.answered >= 1 else { return .refused(answer: nil) }
        defer {
            state.unanswered = 0
            state.answered = now
        }
        return .refused(answer: state.unanswered)
    }

    private mutating func forgetIdle(now: Double) {
        let limits = limits
        states = states.filter { key, state in
            guard let kind = LinkLimits.MessageClass(rawValue: key.kind) else { return false }
            let bucket = limits[kind]
            return state.tokens + (now - state.updated) * bucket.rate < bucket.burst
        }
    }
}
