public import Foundation
import PatrolGeo
public import PatrolModel

extension Silence {
    /// Whether it covers an incident of `kind` at `placement` seen by `sources`, at `time`.
    public func covers(kind: DetectionClass, placement: Placement, sources seen: Set<String>, at time: Date) -> Bool {
        guard isActive(at: time) else { return false }
        if !classes.isEmpty, !classes.contains(kind) { return false }
        if !places.isEmpty {
            let here = placement.areas.union(placement.tower.map { [$0] } ?? [])
            if places.isDisjoint(with: here) { return false }
        }
        if !sources.isEmpty, !seen.contains(where: { source in sources.contains { Self.match($0, source) } }) {
            return false
        }
        return true
    }

    static func match(_ pattern: String, _ source: String) -> Bool {
        pattern.hasSuffix("*") ? source.hasPrefix(pattern.dropLast()) : pattern == source
    }
}

/// A rule that a confirmed incident mutes the alarms it causes nearby: a confirmed fire in a
/// tower mutes that tower's smoke-detector alarms (which only repeat what is known).
public struct InhibitionRule: Hashable, Sendable, Codable {
    /// The classes of the incident that mutes (such as fire).
    public var when: Set<DetectionClass>
    /// Whether that incident must be confirmed by two or more independent sources.
    public var confirmed: Bool
    /// The classes muted (such as smoke).
    public var mutes: Set<DetectionClass>
    /// Muted only in the same tower (or, outside towers, within ``radius`` metres).
    public var radius: Double

    public init(when: Set<DetectionClass>, confirmed: Bool = true, mutes: Set<DetectionClass>, radius: Double = 100) {
        self.when = when
        self.confirmed = confirmed
        self.mutes = mutes
        self.radius = radius
    }
}

/// Why an incident's notification is held back.
public enum Suppression: Hashable, Sendable {
    /// A silence or maintenance window covers it, until `until`.
    case silenced(Silence)
    /// A confirmed incident nearby mutes it.
    case inhibited(by: String, rule: InhibitionRule)

    /// The words stored with the suppression.
    public var reason: String {
        switch self {
        case .silenced(let s): "silenced by \(s.id) (\(s.by): \(s.reason))"
        case .inhibited(let id, _): "inhibited by \(id), a confirmed incident in the same place"
        }
    }
}

/// Silences and inhibition rules together: pure, so the escalation engine asks it at each deadline.
public struct SilencePolicy: Hashable, Sendable {
    public var silences: [Silence]
    public var inhibitions: [InhibitionRule]

    public init(silences: [Silence] = [], inhibitions: [InhibitionRule] = []) {
        self.silences = silences
        self.inhibitions = inhibitions
    }

    /// Why `alert` (at `placement`) must not notify anyone at `time`, if it must not.
    ///
    /// - Parameters:
    ///   - open: the incidents open now, with their placements (for inhibition).
    public func suppression(
        of alert: Alert, at placement: Placement, time: Date, open: [(Alert, Placement)]
    ) -> Suppression? {
        let seen = alert.sources.isEmpty ? [alert.source] : Set(alert.sources.keys)
        if let s = silences.first(where: { $0.covers(kind: alert.kind, placement: placement, sources: seen, at: time) })
        {
            return .silenced(s)
        }
        for rule in inhibitions where rule.mutes.contains(alert.kind) {
            for (other, otherPlace) in open where other.id != alert.id && rule.when.contains(other.kind) {
                if rule.confirmed, !other.confirmed { continue }
                let sameTower = placement.tower != nil && placement.tower == otherPlace.tower
                let near =
                    placement.tower == nil && AlertFusion.distance(other.position, alert.position) <= rule.radius
                if sameTower || near { return .inhibited(by: other.id, rule: rule) }
            }
        }
        return nil
    }
}
