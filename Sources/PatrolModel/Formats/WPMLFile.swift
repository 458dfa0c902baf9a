public import Foundation
import PatrolGeo

/// DJI's wayline format (WPML 1.0.2): a KMZ (a ZIP) holding `wpmz/template.kml`, the editable
/// waypoint template, and `wpmz/waylines.wpml`, what the aircraft executes.
///
/// The route becomes one waypoint wayline: heights relative to the take-off point (the dock), each
/// waypoint's own speed, straight legs, stop-and-turn at every waypoint, heading along the wayline.
/// The vertical take-off is the dock's (`takeOffSecurityHeight`, then the first waypoint); the
/// landing waypoint is left out and `finishAction` is `goHome`, which lands on the dock. Each run of
/// survey legs gets an action group taking a photo every ``Route/triggerSpacing`` metres. The
/// aircraft is declared as DJI's M30 (drone 67/0, payload 52), the dock-based model of DJI's own
/// example; geofences and rally points have no place in WPML and are not written.
public enum WPMLFile {
    /// The WPML namespace written.
    public static let namespace = "http://www.dji.com/wpmz/1.0.2"

    /// The KMZ archive for `plan`.
    public static func kmz(_ plan: FlightPlan) -> Data {
        var zip = ZipWriter()
        zip.add("wpmz/template.kml", Data(template(plan).utf8))
        zip.add("wpmz/waylines.wpml", Data(waylines(plan).utf8))
        return zip.data
    }

    /// The waypoints that go into the wayline: all but landings.
    static func flown(_ plan: FlightPlan) -> [Waypoint] { plan.route.waypoints.filter { $0.kind != .land } }

    static func number(_ value: Double, _ decimals: Int = 2) -> String {
        let text = String(format: "%.\(decimals)f", value)
        guard text.contains(".") else { return text }
        var trimmed = text
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return trimmed == "-0" ? "0" : trimmed
    }

    /// `lon,lat` as KML writes them, 7 decimals (about 1 cm).
    static func coordinates(_ p: LonLat) -> String { "\(number(p.lon, 7)),\(number(p.lat, 7))" }

    static func missionConfig(_ plan: FlightPlan, template: Bool) -> String {
        let waypoints = flown(plan)
        let takeOff = max(1.2, min(1500, waypoints.first?.altitude ?? 20))
        let speed = max(1, min(15, waypoints.map(\.speed).max() ?? 8))
        var lines = [
            "<wpml:missionConfig>",
            "  <wpml:flyToWaylineMode>safely</wpml:flyToWaylineMode>",
            "  <wpml:finishAction>goHome</wpml:finishAction>",
            "  <wpml:exitOnRCLost>executeLostAction</wpml:exitOnRCLost>",
            "  <wpml:executeRCLostAction>goBack</wpml:executeRCLostAction>",
            "  <wpml:takeOffSecurityHeight>\(number(takeOff))</wpml:takeOffSecurityHeight>",
        ]
        if template {
            // Latitude, longitude, ellipsoidal height of the take-off point, as the template wants it.
            if let h = ellipsoidal(plan, 0) {
                lines.append(
                    "  <wpml:takeOffRefPoint>\(number(plan.home.lat, 7)),\(number(plan.home.lon, 7)),\(number(h))"
                        + "</wpml:takeOffRefPoint>")
            }
        }
        lines += [
            "  <wpml:globalTransitionalSpeed>\(number(speed))</wpml:globalTransitionalSpeed>",
            "  <wpml:droneInfo>",
            "    <wpml:droneEnumValue>67</wpml:droneEnumValue>",
            "    <wpml:droneSubEnumValue>0</wpml:droneSubEnumValue>",
            "  </wpml:droneInfo>",
            "  <wpml:payloadInfo>",
            "    <wpml:payloadEnumValue>52</wpml:payloadEnumValue>",
            "    <wpml:payloadPositionIndex>0</wpml:payloadPositionIndex>",
            "  </wpml:payloadInfo>",
            "</wpml:missionConfig>",
        ]
        return lines.map { "    " + $0 }.joined(separator: "\n")
    }

    /// The WGS 84 ellipsoidal height of a point `altitude` metres above home, when the plan knows
    /// home's height above sea level and the geoid there.
    static func ellipsoidal(_ plan: FlightPlan, _ altitude: Double) -> Double? {
        guard let n = plan.geoidUndulation, plan.homeAltitude != 0 else { return nil }
        return plan.homeAltitude + n + altitude
    }

    static func document(_ body: [String]) -> String {
        ([
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<kml xmlns=\"http://www.opengis.net/kml/2.2\" xmlns:wpml=\"\(namespace)\">", "  <Document>",
        ]
            + body + ["  </Document>", "</kml>", ""]).joined(separator: "\n")
    }

    /// `wpmz/template.kml`: a waypoint template with every waypoint, heights relative to the take-off point.
    public static func template(_ plan: FlightPlan) -> String {
        let waypoints = flown(plan)
        var body = [
            "    <wpml:author>Patrol</wpml:author>", missionConfig(plan, template: true), "    <Folder>",
            "      <wpml:templateType>waypoint</wpml:templateType>", "      <wpml:templateId>0</wpml:templateId>",
            "      <wpml:waylineCoordinateSysParam>", "        <wpml:coordinateMode>WGS84</wpml:coordinateMode>",
            "        <wpml:heightMode>relativeToStartPoint</wpml:heightMode>",
            "      </wpml:waylineCoordinateSysParam>",
            "      <wpml:autoFlightSpeed>\(number(waypoints.first?.speed ?? 8))</wpml:autoFlightSpeed>",
            "      <wpml:globalHeight>\(number(waypoints.first?.altitude ?? 0))</wpml:globalHeight>",
            "      <wpml:caliFlightEnable>0</wpml:caliFlightEnable>",
            "      <wpml:gimbalPitchMode>manual</wpml:gimbalPitchMode>", "      <wpml:globalWaypointHeadingParam>",
            "        <wpml:waypointHeadingMode>followWayline</wpml:waypointHeadingMode>",
            "      </wpml:globalWaypointHeadingParam>",
            "      <wpml:globalWaypointTurnMode>toPointAndStopWithDiscontinuityCurvature</wpml:globalWaypointTurnMode>",
            "      <wpml:globalUseStraightLine>1</wpml:globalUseStraightLine>",
        ]
        for (i, w) in waypoints.enumerated() {
            body.append("      <Placemark>")
            body.append(
                "        <Point><coordinates>\(coordinates(w.position))</coordinates></Point>"
            )
            body.append("        <wpml:index>\(i)</wpml:index>")
            if let h = ellipsoidal(plan, w.altitude) {
                body.append("        <wpml:ellipsoidHeight>\(number(h))</wpml:ellipsoidHeight>")
            }
            body += [
                "        <wpml:height>\(number(w.altitude))</wpml:height>",
                "        <wpml:useGlobalHeight>0</wpml:useGlobalHeight>",
                "        <wpml:useGlobalSpeed>0</wpml:useGlobalSpeed>",
                "        <wpml:waypointSpeed>\(number(w.speed))</wpml:waypointSpeed>",
                "        <wpml:useGlobalHeadingParam>1</wpml:useGlobalHeadingParam>",
                "        <wpml:useGlobalTurnParam>1</wpml:useGlobalTurnParam>",
                "        <wpml:useStraightLine>1</wpml:useStraightLine>",
            ]
            body += photoGroups(plan, at: i, indent: "        ")
            body.append("      </Placemark>")
        }
        body.append("    </Folder>")
        return document(body)
    }

    /// `wpmz/waylines.wpml`: the wayline the aircraft executes.
    public static func waylines(_ plan: FlightPlan) -> String {
        let waypoints = flown(plan)
        var body = [
            missionConfig(plan, template: false), "    <Folder>", "      <wpml:templateId>0</wpml:templateId>",
            "      <wpml:executeHeightMode>relativeToStartPoint</wpml:executeHeightMode>",
            "      <wpml:waylineId>0</wpml:waylineId>",
            "      <wpml:distance>\(number(plan.route.length, 1))</wpml:distance>",
            "      <wpml:duration>\(number(plan.route.estimatedDuration, 1))</wpml:duration>",
            "      <wpml:autoFlightSpeed>\(number(waypoints.first?.speed ?? 8))</wpml:autoFlightSpeed>",
        ]
        for (i, w) in waypoints.enumerated() {
            body += [
                "      <Placemark>",
                "        <Point><coordinates>\(coordinates(w.position))</coordinates></Point>",
                "        <wpml:index>\(i)</wpml:index>",
                "        <wpml:executeHeight>\(number(w.altitude))</wpml:executeHeight>",
                "        <wpml:waypointSpeed>\(number(w.speed))</wpml:waypointSpeed>",
                "        <wpml:waypointHeadingParam>",
                "          <wpml:waypointHeadingMode>followWayline</wpml:waypointHeadingMode>",
                "        </wpml:waypointHeadingParam>",
                "        <wpml:waypointTurnParam>",
                "          <wpml:waypointTurnMode>toPointAndStopWithDiscontinuityCurvature</wpml:waypointTurnMode>",
                "          <wpml:waypointTurnDampingDist>0</wpml:waypointTurnDampingDist>",
                "        </wpml:waypointTurnParam>",
                "        <wpml:useStraightLine>1</wpml:useStraightLine>",
            ]
            body += photoGroups(plan, at: i, indent: "        ")
            body.append("      </Placemark>")
        }
        body.append("    </Folder>")
        return document(body)
    }

    /// Runs of survey legs as (first waypoint, last waypoint) indices into ``flown(_:)``: a run starts
    /// where the first survey leg starts.
    static func surveyRuns(_ plan: FlightPlan) -> [(start: Int, end: Int)] {
        let waypoints = flown(plan)
        var runs: [(start: Int, end: Int)] = []
        for i in waypoints.indices.dropFirst() where waypoints[i].kind == .survey {
            if let last = runs.last, last.end == i - 1 {
                runs[runs.count - 1].end = i
            } else {
                runs.append((i - 1, i))
            }
        }
        return runs
    }

    /// The action group that starts at waypoint `index`: a photo every trigger spacing along a survey run.
    static func photoGroups(_ plan: FlightPlan, at index: Int, indent: String) -> [String] {
        guard plan.route.triggerSpacing > 0 else { return [] }
        return surveyRuns(plan).enumerated().filter { $0.element.start == index }.flatMap { id, run in
            [
                "<wpml:actionGroup>",
                "  <wpml:actionGroupId>\(id)</wpml:actionGroupId>",
                "  <wpml:actionGroupStartIndex>\(run.start)</wpml:actionGroupStartIndex>",
                "  <wpml:actionGroupEndIndex>\(run.end)</wpml:actionGroupEndIndex>",
                "  <wpml:actionGroupMode>sequence</wpml:actionGroupMode>",
                "  <wpml:actionTrigger>",
                "    <wpml:actionTriggerType>multipleDistance</wpml:actionTriggerType>",
                "    <wpml:actionTriggerParam>\(number(plan.route.triggerSpacing))</wpml:actionTriggerParam>",
                "  </wpml:actionTrigger>",
                "  <wpml:action>",
                "    <wpml:actionId>0</wpml:actionId>",
                "    <wpml:actionActuatorFunc>takePhoto</wpml:actionActuatorFunc>",
                "    <wpml:actionActuatorFuncParam>",
                "      <wpml:payloadPositionIndex>0</wpml:payloadPositionIndex>",
                "    </wpml:actionActuatorFuncParam>",
                "  </wpml:action>",
                "</wpml:actionGroup>",
            ].map { indent + $0 }
        }
    }
}
