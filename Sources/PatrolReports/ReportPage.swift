import Foundation
import PatrolGeo
import PatrolModel

/// The self-contained HTML page of a flight report: headline figures, the map with its legend,
/// the battery plot, the alerts table and the timeline.
///
/// The page is XHTML-compatible HTML5 (it parses as XML) and loads nothing from anywhere: the
/// styles are inline and the graphics are inline SVG.
struct ReportPage {
    let input: FlightReportInput
    let projected: ProjectedFlight
    let coverage: CoverageResult
    let detectability: DetectabilityResult
    let summary: FlightSummary

    /// The whole document.
    func render() -> String {
        Markup.document(title: "Flight \(summary.flightID): \(summary.missionName)", css: ReportStyle.css) { m in
            writeHeader(into: &m)
            m.element("main") { m in
                writeMap(into: &m)
                writeCoverage(into: &m)
                m.element("section", [("id", "battery")]) { m in
                    m.element("h2", text: "Battery")
                    BatteryPlot(telemetry: projected.telemetry).write(into: &m)
                }
                m.element("section", [("id", "link")]) { m in
                    m.element("h2", text: "Link quality")
                    LinkPlot(telemetry: projected.telemetry, events: input.linkEvents).write(into: &m)
                }
                writeConditions(into: &m)
                writeAlerts(into: &m)
                writeTimeline(into: &m)
            }
            m.element("footer") { m in
                m.element(
                    "p",
                    text: "Site \(input.site.name) (\(input.site.id)), measured in \(input.site.crs). "
                        + "Camera footprints assume flat ground at the hive's level; times are UTC.")
            }
        }
    }

    private func writeHeader(into m: inout Markup) {
        m.element("header") { m in
            m.element("h1", text: "Flight \(summary.flightID): \(summary.missionName)")
            var meta = "Device \(summary.deviceID) · mission \(summary.missionID) · \(summary.status.rawValue)"
            if let start = summary.start { meta += " · \(Format.dateTime(start))" }
            if let end = summary.end { meta += " to \(Format.dateTime(end))" }
            m.element("p", [("class", "meta")], text: meta)
            let battery = summary.battery.map { Format.percent($0.used * 100) } ?? "–"
            let figures: [(String, String, String)] = [
                ("coverage", "Coverage", Format.percent(summary.coverage.percent)),
                ("well-seen", "Seen well enough", Format.percent(detectability.wellSeenPercent)),
                ("duration", "Duration", Format.duration(summary.duration)),
                ("distance", "Distance flown", Format.distance(summary.distanceFlown)),
                ("battery", "Battery used", battery),
                ("detections", "Detections", "\(summary.detections)"),
                ("alerts", "Alerts", "\(summary.alerts.count)"),
                ("deviation", "Max deviation", "\(Format.number(summary.deviation.max, 1)) m"),
                ("link-losses", "Link losses", "\(summary.link?.losses ?? 0)"),
            ]
            m.figures(figures)
        }
    }

    private func writeMap(into m: inout Markup) {
        m.element("section", [("id", "map")]) { m in
            m.element("h2", text: "Map")
            m.element("figure") { m in
                ReportMap(input: input, projected: projected, coverage: coverage, detectability: detectability)
                    .write(into: &m)
                m.element("figcaption") { m in
                    m.element("ul", [("class", "legend")]) { m in
                        for (kind, label) in Self.legend { legendItem(kind, label, into: &m) }
                    }
                }
            }
        }
    }

    private func writeCoverage(into m: inout Markup) {
        let c = summary.coverage
        let rows: [(String, String)] = [
            ("Planned area", Format.area(c.plannedArea)),
            ("Seen area", "\(Format.area(c.seenArea)) (\(Format.percent(c.percent)))"),
            ("Gaps of at least \(Format.area(c.minimumGapArea))", "\(c.gapCount) (\(Format.area(c.gapArea)) in all)"),
            (
                "Seen well enough to detect smoke (probability ≥ \(Format.number(detectability.model.threshold, 2)))",
                "\(Format.area(detectability.wellSeenArea)) (\(Format.percent(detectability.wellSeenPercent))), "
                    + "mean probability \(Format.number(detectability.meanProbability, 2))"
            ),
            ("Swept but hidden behind towers in every frame", Format.area(detectability.shadowedArea)),
            (
                "Cross-track deviation while surveying",
                "mean \(Format.number(summary.deviation.mean, 1)) m, max \(Format.number(summary.deviation.max, 1)) m "
                    + "over \(summary.deviation.samples) samples"
            ),
            (
                "Battery",
                summary.battery.map {
                    "\(Format.percent($0.start * 100)) to \(Format.percent($0.end * 100))"
                } ?? "no telemetry"
            ),
        ]
        writeFacts(rows, section: "coverage", title: "Coverage", into: &m)
    }

    /// The weather at the hive and the link, as a table of facts.
    private func writeConditions(into m: inout Markup) {
        var rows: [(String, String)] = []
        if let w = summary.weather {
            rows.append(
                (
                    "Weather at the hive at take-off",
                    "wind \(Format.number(w.takeOffWindSpeed, 1)) m/s from \(Format.number(w.takeOffWindFrom, 0))°, "
                        + "rain \(Format.number(w.takeOffRain, 1)) mm/h, \(Format.number(w.takeOffTemperature, 1)) °C "
                        + "(status of \(Format.time(w.takeOffTime)))"
                ))
            rows.append(
                (
                    "Weather at the hive during the flight",
                    "wind \(range(w.windSpeed, 1)) m/s, rain \(range(w.rain, 1)) mm/h, "
                        + "\(range(w.temperature, 1)) °C over \(w.samples) statuses"
                ))
            if w.takeOffDoor != nil || w.lastDoor != nil {
                var hive = "door \(w.takeOffDoor ?? "unknown") at take-off"
                if let door = w.lastDoor {
                    hive += "; last status: door \(door), " + ((w.lastCharging ?? false) ? "charging" : "not charging")
                }
                if w.doorStuckStatuses > 0 { hive += "; door reported stuck in \(w.doorStuckStatuses) statuses" }
                rows.append(("Hive door and charger", hive))
            }
        } else {
            rows.append(("Weather at the hive", "no hive status recorded"))
        }
        let link = summary.link
        var losses = "\(link?.losses ?? 0)"
        if let link, link.losses > 0 {
            losses += ", \(Format.duration(link.lostDuration)) lost in all"
            if link.unresolved > 0 { losses += ", not resumed before the flight ended" }
        }
        rows.append(("Link losses", losses))
        if let link, let low = link.minimumQuality, let mean = link.meanQuality {
            rows.append(
                (
                    "Link quality reported",
                    "min \(Format.number(low, 2)), mean \(Format.number(mean, 2)) over \(link.qualitySamples) samples"
                ))
        } else {
            rows.append(("Link quality reported", "none"))
        }
        writeFacts(rows, section: "conditions", title: "Weather and link", into: &m)
    }

    /// A section holding a two-column table of facts: a name per row and its value.
    private func writeFacts(_ rows: [(String, String)], section: String, title: String, into m: inout Markup) {
        m.element("section", [("id", section)]) { m in
            m.element("h2", text: title)
            m.element("table", [("class", "facts")]) { m in
                m.element("tbody") { m in
                    for (name, value) in rows {
                        m.element("tr") { m in
                            m.element("th", [("scope", "row")], text: name)
                            m.element("td", text: value)
                        }
                    }
                }
            }
        }
    }

    private func range(_ r: FlightSummary.Weather.Range, _ digits: Int) -> String {
        r.min == r.max
            ? Format.number(r.min, digits) : "\(Format.number(r.min, digits)) to \(Format.number(r.max, digits))"
    }

    private func writeAlerts(into m: inout Markup) {
        m.element("section", [("id", "alerts")]) { m in
            m.element("h2", text: "Alerts")
            guard !input.alerts.isEmpty else {
                m.element("p", text: "No alerts were raised during this flight.")
                return
            }
            let columns = ["Alert", "Class", "State", "Confidence", "Observations", "Position", "First seen"]
            m.table(columns: columns) { m in
                for (anchor, alert) in zip(Self.alertAnchors(input.alerts), input.alerts) {
                    m.element("tr") { m in
                        m.element("td") { $0.element("a", [("href", "#\(anchor)")], text: alert.id) }
                        m.element("td", text: alert.kind.rawValue)
                        m.element("td", text: alert.state.rawValue)
                        m.element("td", [("class", "number")], text: Format.number(alert.confidence, 2))
                        m.element("td", [("class", "number")], text: "\(alert.observations)")
                        m.element(
                            "td",
                            text: "\(Format.degrees(alert.position.lat)), \(Format.degrees(alert.position.lon))")
                        m.element("td", text: Format.dateTime(alert.firstSeen))
                    }
                }
            }
        }
    }

    private func writeTimeline(into m: inout Markup) {
        m.element("section", [("id", "timeline")]) { m in
            m.element("h2", text: "Timeline")
            guard !summary.timeline.isEmpty else {
                m.element("p", text: "No events: the flight has no telemetry.")
                return
            }
            let origin = summary.start ?? summary.timeline[0].time
            m.element("ol", [("class", "timeline")]) { m in
                for event in summary.timeline {
                    m.element("li", [("class", event.kind.rawValue)]) { m in
                        m.element(
                            "time", [("datetime", event.time.formatted(.iso8601))],
                            text: "\(Format.offset(event.time.timeIntervalSince(origin))) \(Format.time(event.time))")
                        m.element("span", text: event.detail)
                    }
                }
            }
        }
    }
}
