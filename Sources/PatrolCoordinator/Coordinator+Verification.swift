public import Foundation
import Logging
import PatrolAlerts
public import PatrolGeo
public import PatrolModel

/// What an automatic verification or overwatch sortie flies: a square sweep centred on the
/// incident, with the hive, camera and limits of a base mission (normally the site's routine
/// drone patrol).
public struct VerificationTemplate: Sendable {
    public var base: Mission
    public var site: Site
    public var siteFile: URL?
    /// Half the side of the square swept around the incident, metres.
    public var halfSide: Double

    public init(base: Mission, site: Site, siteFile: URL? = nil, halfSide: Double = 50) {
        self.base = base
        self.site = site
        self.siteFile = siteFile
        self.halfSide = halfSide
    }

    /// The sweep of the square around `position`, at 50 m, 10 m/s, looking for smoke and fire.
    public func mission(id: String, name: String, around position: LonLat) -> Mission {
        Self.sweep(id: id, name: name, around: position, halfSide: halfSide, base: base)
    }

    /// The sweep of the square of half side `halfSide` around `position`, from `base`'s hive.
    public static func sweep(id: String, name: String, around position: LonLat, halfSide: Double, base: Mission)
        -> Mission
    {
        let dLat = halfSide / 111_320
        let dLon = halfSide / (111_320 * cos(position.lat * .pi / 180))
        let p = position
        let square = [
            LonLat(lon: p.lon - dLon, lat: p.lat - dLat), LonLat(lon: p.lon + dLon, lat: p.lat - dLat),
            LonLat(lon: p.lon + dLon, lat: p.lat + dLat), LonLat(lon: p.lon - dLon, lat: p.lat + dLat),
            LonLat(lon: p.lon - dLon, lat: p.lat - dLat),
        ]
        return Mission(
            id: id, name: name, kind: .areaCoverage(area: .inline(GeoPolygon(exterior: square))), hive: base.hive,
            altitude: 50, transitAltitude: 60, speed: 10, camera: base.camera, detect: [.smoke, .fire],
            limits: base.limits)
    }
}

extension Coordinator {
    /// Lets the linked actions `request_verification` and `keep_overwatch` fly: without a
    /// template their requests are only emitted as events (for whoever dispatches by hand).
    public func configureVerification(_ template: VerificationTemplate) {
        sortieBook.verification = template
    }

    /// Asks the sortie layer for an urgent sortie over `alert`: to verify it (not when a drone in
    /// the air is already among its sources: it has just looked) or to keep watch over it.
    func requestAutomaticSortie(for alert: Alert, overwatch: Bool) {
        guard let template = sortieBook.verification else { return }
        let airborne = Set(flights.values.filter { $0.flight.status == .flying }.map(\.flight.deviceID))
        if !overwatch, alert.sources.keys.contains(where: airborne.contains) {
            logger.info(
                "verification not requested: a drone in the air is among the sources",
                metadata: ["incident.id": "\(alert.id)"])
            return
        }
        let kind = overwatch ? "overwatch" : "verify"
        let mission = template.mission(
            id: "\(kind)-\(alert.id)", name: overwatch ? "Overwatch of \(alert.id)" : "Verify \(alert.id)",
            around: alert.position)
        let status = request(
            SortieRequest(
                mission: mission, site: template.site, siteFile: template.siteFile, priority: overwatch ? 9 : 10,
                origin: .urgent, target: alert.position))
        logger.notice(
            "automatic sortie requested",
            metadata: [
                "incident.id": "\(alert.id)", "sortie.id": "\(status.id)", "sortie.kind": "\(kind)",
                "sortie.state": "\(status.state.rawValue)", "sortie.reason": "\(status.reason ?? "")",
            ])
    }
}
