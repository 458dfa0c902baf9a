public import Foundation

/// A time window in which matching incidents notify nobody: a maintenance window (a hive under
/// service), or an operator's silence of a known, handled nuisance. Incidents are still opened and
/// recorded; only their escalation's notifications wait until the window ends.
public struct Silence: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var start: Date
    public var end: Date
    /// The classes it applies to; empty for every class.
    public var classes: Set<DetectionClass>
    /// Area or tower ids it applies to; empty for the whole site.
    public var places: Set<String>
    /// Source devices (`hive-3`, `gw-b2/smoke-12`; a trailing `*` matches a prefix); empty for any.
    public var sources: Set<String>
    /// Who set it, and why.
    public var by: String
    public var reason: String

    public init(
        id: String, start: Date, end: Date, classes: Set<DetectionClass> = [], places: Set<String> = [],
        sources: Set<String> = [], by: String, reason: String
    ) {
        self.id = id
        self.start = start
        self.end = end
        self.classes = classes
        self.places = places
        self.sources = sources
        self.by = by
        self.reason = reason
    }

    /// Whether it is in force at `time` (from `start` up to, not including, `end`).
    public func isActive(at time: Date) -> Bool { start <= time && time < end }
}

/// A record that an incident's escalation step was held back, and why.
public struct AlertSuppression: Hashable, Sendable, Codable {
    public var alertID: String
    /// When it was held back (the clock's time when the deadline fell due).
    public var at: Date
    /// The silence's id, or the id of the incident that inhibits this one.
    public var cause: String
    /// `silence` or `inhibition`.
    public var kind: String
    /// Until when the step waits.
    public var until: Date
    public var reason: String

    public init(alertID: String, at: Date, cause: String, kind: String, until: Date, reason: String) {
        self.alertID = alertID
        self.at = at
        self.cause = cause
        self.kind = kind
        self.until = until
        self.reason = reason
    }
}
