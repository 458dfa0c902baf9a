public import Foundation
public import PatrolAlerts
public import PatrolModel

/// A site's rules for incidents, read from its folder: the site itself (for areas and towers),
/// `responsibility.yaml` and `escalation.yaml`.
public struct AlertPolicy: Sendable {
    public var site: Site
    public var map: ResponsibilityMap
    public var escalation: EscalationPolicy
    /// Maintenance windows, silences and inhibition rules from `silences.yaml` (none without it);
    /// operators add silences to the store too (`patrol alerts silence`).
    public var silences: SilencePolicy
    /// Linked automatic actions from `actions.yaml` (none without it).
    public var actions: ActionRules

    public init(
        site: Site, map: ResponsibilityMap, escalation: EscalationPolicy, silences: SilencePolicy = SilencePolicy(),
        actions: ActionRules = ActionRules()
    ) {
        self.site = site
        self.map = map
        self.escalation = escalation
        self.silences = silences
        self.actions = actions
    }

    /// Loads `site.yaml`, `responsibility.yaml`, `escalation.yaml` and, if present, `silences.yaml` and `actions.yaml`
    /// from `directory`.
    ///
    /// The map's areas and towers are checked against the site's, and the policy's parties
    /// against the map's.
    /// - Throws: ``LoadError`` naming the file, line and field of the first problem, or the file
    ///   that cannot be read.
    public static func load(siteDirectory directory: URL) throws(LoadError) -> AlertPolicy {
        let site = try Site.load(from: directory.appendingPathComponent("site.yaml"))
        let mapURL = directory.appendingPathComponent("responsibility.yaml")
        let map = try ResponsibilityMap(
            yaml: read(mapURL), file: mapURL.path, areas: Set(site.areas.map(\.id)), towers: Set(site.towers.map(\.id)))
        let policyURL = directory.appendingPathComponent("escalation.yaml")
        let escalation = try EscalationPolicy(yaml: read(policyURL), file: policyURL.path, map: map)
        let silencesURL = directory.appendingPathComponent("silences.yaml")
        var silences = SilencePolicy()
        if FileManager.default.fileExists(atPath: silencesURL.path) {
            let places = Set(site.areas.map(\.id)).union(site.towers.map(\.id))
            silences = try SilencePolicy(yaml: read(silencesURL), file: silencesURL.path, places: places)
        }
        let actionsURL = directory.appendingPathComponent("actions.yaml")
        var actions = ActionRules()
        if FileManager.default.fileExists(atPath: actionsURL.path) {
            actions = try ActionRules(yaml: read(actionsURL), file: actionsURL.path, parties: Set(map.parties.keys))
        }
        return AlertPolicy(site: site, map: map, escalation: escalation, silences: silences, actions: actions)
    }

    static func read(_ url: URL) throws(LoadError) -> String {
        do { return try String(contentsOf: url, encoding: .utf8) } catch {
            throw LoadError(file: url.path, message: "cannot read the file: \((error as NSError).localizedDescription)")
        }
    }

    /// Where an alert is on the site, for the responsibility map.
    public func placement(of alert: Alert) -> Placement { Placement(of: alert.position, in: site) }
}
