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
    /// A new incident within this long of an ended one at the same place is linked to it as a
    /// re-ignition (``Alert/reopenedFrom``), seconds.
    public var relinkWindow: TimeInterval

    public init(
        minimumConfidence: Double = 0.5, gate: Double = 50, window: TimeInterval = 30 * 60,
        relinkWindow: TimeInterval = 24 * 3600
    ) {
        self.minimumConfidence = minimumConfidence
        self.gate = gate
        self.window = window
        self.relinkWindow = relinkWindow
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
/// mean. Confidence combines across independent sources (devices) by noisy-OR over each source's
/// highest confidence, since one drone's repeated frames are not independent; two or more sources
/// confirm the incident. An incident that is resolved, closed or a false alarm is never joined: a
/// new sighting there opens a new incident linked to it. Pure: no clock, no I/O; the caller owns
/// persistence and tells fusion of state changes made elsewhere with ``sync(_:)``.
public struct AlertFusion: Sendable {
    public var policy: FusionPolicy
    /// The incidents that new observations may still join.
    public private(set) var open: [Alert]
    /// Incidents that ended (resolved, false alarm, closed), kept to link re-ignitions to.
    public private(set) var ended: [Alert]
    private var nextNumber: Int

    /// The states in which an incident is over and is not joined.
    public static let endedStates: Set<AlertState> = [.resolved, .falseAlarm, .closed]

    /// - Parameters:
    ///   - open: incidents already open (from the store), so fusion survives a restart.
    ///   - ended: recently ended incidents (from the store), so re-ignitions link after a restart.
    ///   - nextNumber: the number for the next incident id (`alert-<n>`).
    public init(policy: FusionPolicy = FusionPolicy(), open: [Alert] = [], ended: [Alert] = [], nextNumber: Int = 1) {
        self.policy = policy
        self.open = open.filter { !Self.endedStates.contains($0.state) }
        self.ended = ended + open.filter { Self.endedStates.contains($0.state) }
        self.nextNumber = nextNumber
    }

    /// The ids of known incidents, open or ended, that `detection` could join or be linked to:
    /// the ones whose current state the caller should pass to ``sync(_:)`` before folding.
    public func nearby(_ detection: Detection) -> [String] {
        (open + ended).filter { reaches($0, detection) }.map(\.id)
    }

    /// Takes an incident's lifecycle state from the record (an operator may have resolved it or
    /// reopened it meanwhile); the sighting figures stay fusion's own. Unknown ids are ignored.
    public mutating func sync(_ stored: Alert) {
        if let i = open.firstIndex(where: { $0.id == stored.id }) {
            open[i].state = stored.state
            if Self.endedStates.contains(stored.state) { ended.append(open.remove(at: i)) }
        } else if let i = ended.firstIndex(where: { $0.id == stored.id }) {
            ended[i].state = stored.state
            if !Self.endedStates.contains(stored.state) { open.append(ended.remove(at: i)) }
        }
    }

    /// Noisy-OR of independent sources' confidences: the chance that not all of them are wrong.
    public static func combined(_ sources: [String: Double]) -> Double {
        1 - sources.values.reduce(1) { $0 * (1 - min(max($1, 0), 1)) }
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
        ended.removeAll { detection.time.timeIntervalSince($0.lastSeen) > policy.relinkWindow }
        let candidates = open.indices.filter { i in
            let alert = open[i]
            guard !Self.endedStates.contains(alert.state) else { return false }
            guard detection.time.timeIntervalSince(alert.lastSeen) <= policy.window else { return false }
            return reaches(alert, detection)
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
            // Incidents stored before sources were kept: credit the first reporter with what was seen.
            if alert.sources.isEmpty { alert.sources[alert.source] = alert.confidence }
            alert.sources[source] = max(alert.sources[source] ?? 0, detection.confidence)
            alert.confidence = Self.combined(alert.sources)
            alert.confirmed = alert.sources.count >= 2
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
            confidence: detection.confidence, source: source, flightID: flightID,
            sources: [source: detection.confidence], reopenedFrom: relinked(detection)?.id)
        nextNumber += 1
        open.append(alert)
        return .opened(alert)
    }

    /// Folds in a verification that found nothing (`detection.verified == false`): the nearest
    /// open incident it reaches (in place and class) loses certainty, its confidence multiplied by
    /// 1 − the verifier's confidence. The verifier is not a source of the incident.
    ///
    /// - Returns: the incident as it is now, or `nil` when the verification reaches none.
    public mutating func refute(_ detection: Detection, source: String) -> Alert? {
        let candidates = open.indices.filter { reaches(open[$0], detection) }
        guard
            let i = candidates.min(by: {
                Self.distance(open[$0].position, detection.position)
                    < Self.distance(open[$1].position, detection.position)
            })
        else { return nil }
        var alert = open[i]
        alert.confidence *= 1 - min(max(detection.confidence, 0), 1)
        alert.observations += 1
        alert.lastSeen = max(alert.lastSeen, detection.time)
        open[i] = alert
        return alert
    }

    /// Whether `detection` is of a compatible class and within the gate (widened by both
    /// uncertainties) of `alert`, regardless of time.
    private func reaches(_ alert: Alert, _ detection: Detection) -> Bool {
        guard Self.compatible(alert.kind, detection.kind) else { return false }
        let reach = policy.gate + 2 * (alert.positionError + detection.positionError)
        return Self.distance(alert.position, detection.position) <= reach
    }

    /// The nearest ended incident that a new one at `detection` re-ignites, if any.
    private func relinked(_ detection: Detection) -> Alert? {
        ended.filter {
            reaches($0, detection) && detection.time.timeIntervalSince($0.lastSeen) <= policy.relinkWindow
        }
        .min {
            Self.distance($0.position, detection.position) < Self.distance($1.position, detection.position)
        }
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
