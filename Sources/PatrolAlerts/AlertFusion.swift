public import Foundation
public import PatrolGeo
public import PatrolModel

/// How observations are folded into incidents.
public struct FusionPolicy: Hashable, Sendable {
    /// Observations below this confidence are recorded but open no incident.
    public var minimumConfidence: Double
    /// Observations farther apart than this (beyond their stated uncertainty) are different things, metres.
    public var gate: Double
    /// An incident not seen again for this long is not joined by new observations, seconds.
    public var window: TimeInterval

    public init(minimumConfidence: Double = 0.5, gate: Double = 50, window: TimeInterval = 30 * 60) {
        self.minimumConfidence = minimumConfidence
        self.gate = gate
        self.window = window
    }
}

/// What folding one observation did.
public enum FusionOutcome: Hashable, Sendable {
    /// A new incident was opened.
    case opened(Alert)
    /// An open incident was updated with the observation.
    case updated(Alert)
    /// The observation was too weak to open an incident.
    case ignored(reason: String)
}

/// Folds observations into incidents: a drone that sees the same smoke every second makes one
/// incident, not hundreds.
///
/// Observations of compatible classes (smoke and fire are one phenomenon) whose positions lie
/// within the gate, widened by their uncertainties, and that come within the time window of the
/// incident's last sighting, join it; the position estimate is the inverse-variance weighted
/// mean. Pure: no clock, no I/O; the caller owns persistence.
public struct AlertFusion: Sendable {
    public var policy: FusionPolicy
    /// The incidents that new observations may still join.
    public private(set) var open: [Alert]
    private var nextNumber: Int

    /// - Parameters:
    ///   - open: incidents already open (from the store), so fusion survives a restart.
    ///   - nextNumber: the number for the next incident id (`alert-<n>`).
    public init(policy: FusionPolicy = FusionPolicy(), open: [Alert] = [], nextNumber: Int = 1) {
        self.policy = policy
        self.open = open
        self.nextNumber = nextNumber
    }

    /// Whether two classes describe the same kind of event.
    public static func compatible(_ a: DetectionClass, _ b: DetectionClass) -> Bool {
        let fire: Set<DetectionClass> = [.smoke, .fire]
        return a == b || (fire.contains(a) && fire.contains(b))
    }

    /// Folds one observation from `source` in.
    public mutating func fold(_ detection: Detection, source: String, flightID: String?) -> FusionOutcome {
        guard detection.confidence >= policy.minimumConfidence else {
            return .ignored(reason: "confidence \(detection.confidence) below \(policy.minimumConfidence)")
        }
        let candidates = open.indices.filter { i in
            let alert = open[i]
            guard Self.compatible(alert.kind, detection.kind), alert.state != .closed, alert.state != .falseAlarm else {
                return false
            }
            guard detection.time.timeIntervalSince(alert.lastSeen) <= policy.window else { return false }
            let reach = policy.gate + 2 * (alert.positionError + detection.positionError)
            return Self.distance(alert.position, detection.position) <= reach
        }
        if let i = candidates.min(by: {
            Self.distance(open[$0].position, detection.position) < Self.distance(open[$1].position, detection.position)
        }) {
            var alert = open[i]
            let w1 = 1 / max(alert.positionError * alert.positionError, 0.01)
            let w2 = 1 / max(detection.positionError * detection.positionError, 0.01)
            alert.position = LonLat(
                lon: (alert.position.lon * w1 + detection.position.lon * w2) / (w1 + w2),
                lat: (alert.position.lat * w1 + detection.position.lat * w2) / (w1 + w2))
            alert.positionError = (1 / (w1 + w2)).squareRoot()
            alert.observations += 1
            alert.confidence = max(alert.confidence, detection.confidence)
            alert.lastSeen = max(alert.lastSeen, detection.time)
            alert.firstSeen = min(alert.firstSeen, detection.time)
            // Fire outranks smoke: once flames are seen the incident is a fire.
            if detection.kind == .fire { alert.kind = .fire }
            open[i] = alert
            return .updated(alert)
        }
        let alert = Alert(
            id: "alert-\(nextNumber)", kind: detection.kind, state: .new, position: detection.position,
            positionError: detection.positionError, firstSeen: detection.time, lastSeen: detection.time,
            observations: 1,
            confidence: detection.confidence, source: source, flightID: flightID)
        nextNumber += 1
        open.append(alert)
        return .opened(alert)
    }

    /// Ground distance in metres between two nearby positions (equirectangular: well under
    /// 0.1 % error over a few kilometres, plenty for gating).
    public static func distance(_ a: LonLat, _ b: LonLat) -> Double {
        let radius = 6_371_008.8
        let meanLat = (a.lat + b.lat) / 2 * .pi / 180
        let dx = (b.lon - a.lon) * .pi / 180 * cos(meanLat) * radius
        let dy = (b.lat - a.lat) * .pi / 180 * radius
        return (dx * dx + dy * dy).squareRoot()
    }
}
