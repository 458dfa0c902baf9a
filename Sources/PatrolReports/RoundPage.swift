import Foundation
import PatrolGeo
import PatrolModel

/// The self-contained HTML page of a robot round: headline figures, a map of the planned route
/// against the walked track with the checkpoints (reached or missed), the readings over
/// threshold and the detections (each linked to its incident), tables, the battery and a timeline.
struct RoundPage {
    let input: RoundReport.Input
    let summary: RoundSummary

    static let css = """
        svg.map .path-edge { fill: none; stroke: #c4ccd6; stroke-width: 5; stroke-linecap: round; }
        svg.map .path-edge.below { stroke: #d9c9ec; stroke-dasharray: 6 4; }
        svg.map .route { fill: none; stroke: #1c7ed6; stroke-width: 2; stroke-dasharray: 7 5; }
        svg.map .track { fill: none; stroke: #e8590c; stroke-width: 2.5; }
        svg.map .reached { fill: #2f9e44; stroke: #fff; stroke-width: 1.5; }
        svg.map .missed { fill: #e03131; stroke: #fff; stroke-width: 1.5; }
        svg.map .station { fill: #343a40; }
        svg.map .over { fill: #ae3ec9; fill-opacity: 0.55; }
        svg.map .finding { fill: #f08c00; stroke: #fff; stroke-width: 1; }
        svg.map .label { fill: #1f2933; paint-order: stroke; stroke: #fff; stroke-width: 0.2em; }
        .swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; }
        .missed-text { color: #c92a2a; font-weight: 600; }
        """

    func render() throws -> String {
        let map = try mapMarkup()
        let title = "Robot round \(summary.id)"
        return Markup.document(title: title, css: ReportStyle.css + "\n" + Self.css) { m in
            m.element("header") { m in
                m.element("h1", text: "Robot round: \(input.mission.name)")
                m.element(
                    "p", [("class", "meta")],
                    text:
                        "\(summary.robot) from \(summary.station) · \(summary.id) · "
                        + (summary.start.map(Format.dateTime) ?? "not started") + " · \(summary.status)")
                m.figures(figures())
            }
            m.element("main") { m in
                m.element("section", [("id", "map")]) { m in
                    m.element("h2", text: "Route and track")
                    m.element("figure") { m in
                        m.raw(map)
                        legend(into: &m)
                    }
                }
                checkpoints(into: &m)
                gases(into: &m)
                findings(into: &m)
                spoken(into: &m)
                m.element("section", [("id", "battery")]) { m in
                    m.element("h2", text: "Battery")
                    BatteryPlot(telemetry: input.telemetry).write(into: &m)
                }
                timeline(into: &m)
            }
            m.element("footer") { m in
                m.element(
                    "p",
                    text: "Site \(input.site.id) in \(input.site.crs); a checkpoint is reached when the robot's "
                        + "telemetry puts it within \(Format.number(RoundCheckpoint.reachRadius, 1)) m of it on its floor. "
                        + "Times are UTC.")
            }
        }
    }

    private func figures() -> [(style: String, name: String, value: String)] {
        let total = summary.checkpoints.count
        var items: [(String, String, String)] = [
            ("coverage", "Checkpoints reached", "\(summary.checkpointsReached) of \(total)"),
            ("", "Duration", summary.duration.map(Format.duration) ?? "–"),
            ("", "Walked", Format.distance(summary.distance)),
            ("", "Planned", Format.distance(summary.plannedDistance)),
            ("", "Incidents", "\(summary.alerts.count)"),
            ("", "Detections", "\(summary.findings.count)"),
            ("", "Warnings spoken", "\(summary.spoken.count)"),
        ]
        if let a = summary.batteryStart, let b = summary.batteryEnd {
            items.append(("", "Battery", "\(Format.number(a * 100, 0)) → \(Format.number(b * 100, 0)) %"))
        }
        return items
    }

    // MARK: Map

    /// The map as SVG text, north up, in site metres.
    private func mapMarkup() throws -> String {
        let frame = try SiteFrame(crs: input.site.crs)
        let edges = try input.site.paths.map { (e) throws(GeoError) in
            (line: try frame.project(e.line), below: min(e.fromLevel, e.toLevel) < 0)
        }
        let route = try frame.project(input.flight.route.waypoints.map(\.position))
        let track = try frame.project(input.telemetry.map(\.position))
        let all = edges.flatMap(\.line) + route + track
        guard let first = all.first else { return "<p>Nothing to draw.</p>" }
        var lo = first
        var hi = first
        for p in all {
            lo = XY(min(lo.x, p.x), min(lo.y, p.y))
            hi = XY(max(hi.x, p.x), max(hi.y, p.y))
        }
        let margin = max(15, 0.05 * max(hi.x - lo.x, hi.y - lo.y))
        lo = lo - XY(margin, margin)
        hi = hi + XY(margin * 5, margin)  // room for the checkpoints' names on the right
        func x(_ p: XY) -> String { Format.coordinate(p.x - lo.x) }
        func y(_ p: XY) -> String { Format.coordinate(hi.y - p.y) }
        func line(_ points: [XY]) -> String {
            points.enumerated().map { "\($0 == 0 ? "M" : "L")\(x($1)) \(y($1))" }.joined()
        }
        let size = max(hi.x - lo.x, hi.y - lo.y)
        let r = Format.number(max(2, size / 120), 2)
        var m = Markup()
        let viewBox = "0 0 \(Format.coordinate(hi.x - lo.x)) \(Format.coordinate(hi.y - lo.y))"
        let style = [("vector-effect", "non-scaling-stroke")]
        m.element(
            "svg", [("xmlns", "http://www.w3.org/2000/svg"), ("class", "map"), ("viewBox", viewBox), ("role", "img")]
        ) { m in
            m.element("title", text: "Planned route and walked track of \(summary.id), north up")
            for edge in edges {
                m.empty(
                    "path", [("class", edge.below ? "path-edge below" : "path-edge"), ("d", line(edge.line))] + style)
            }
            if track.count >= 2 {
                m.element("path", [("class", "track"), ("d", line(track))] + style) {
                    $0.element("title", text: "Walked track")
                }
            }
            if route.count >= 2 {
                m.element("path", [("class", "route"), ("d", line(route))] + style) {
                    $0.element("title", text: "Planned route")
                }
            }
            if let home = route.first {
                m.element(
                    "rect",
                    [
                        ("class", "station"), ("x", Format.coordinate(home.x - lo.x - 4)),
                        ("y", Format.coordinate(hi.y - home.y - 4)),
                        ("width", "8"), ("height", "8"),
                    ]
                ) { $0.element("title", text: "Station \(input.station)") }
            }
            for reading in input.readings where reading.alertID != nil {
                guard let at = reading.position, let p = try? frame.project(at) else { continue }
                m.element("circle", [("class", "over"), ("cx", x(p)), ("cy", y(p)), ("r", r)]) {
                    $0.element("title", text: "\(reading.kind) \(Format.number(reading.value, 1)) \(reading.unit)")
                }
            }
            for (d, alert) in input.detections {
                guard let p = try? frame.project(d.position) else { continue }
                let mark = { (m: inout Markup) in
                    m.element("circle", [("class", "finding"), ("cx", x(p)), ("cy", y(p)), ("r", r)]) {
                        $0.element("title", text: "\(d.kind.rawValue) (\(Format.number(d.confidence, 2)))")
                    }
                }
                if let alert {
                    m.element("a", [("href", "#alert-\(Markup.identifier(alert))")]) { mark(&$0) }
                } else {
                    mark(&m)
                }
            }
            for c in input.checkpoints {
                guard let p = try? frame.project(c.position) else { continue }
                m.element(
                    "circle",
                    [("class", c.reachedAt == nil ? "missed" : "reached"), ("cx", x(p)), ("cy", y(p)), ("r", r)]
                ) {
                    $0.element(
                        "title", text: "\(c.name): " + (c.reachedAt.map { "reached \(Format.time($0))" } ?? "missed"))
                }
                m.element(
                    "text",
                    [
                        ("class", "label"), ("x", x(p + XY(4, 0))), ("y", y(p + XY(0, 4))),
                        ("font-size", Format.number(max(4, size / 70), 1)),
                    ], text: c.name)
            }
        }
        return m.text
    }

    private func legend(into m: inout Markup) {
        let items = [
            ("#1c7ed6", "Planned route"), ("#e8590c", "Walked track"), ("#2f9e44", "Checkpoint reached"),
            ("#e03131", "Checkpoint missed"), ("#ae3ec9", "Gas over threshold"), ("#f08c00", "Detection"),
            ("#c4ccd6", "Paths (dashed: below ground)"),
        ]
        m.element("figcaption") { m in
            m.element("ul", [("class", "legend")]) { m in
                for (colour, label) in items {
                    m.element("li") { m in
                        m.element("span", [("class", "swatch"), ("style", "background: \(colour)")], text: "")
                        m.characters(label)
                    }
                }
            }
        }
    }

    // MARK: Tables

    private func checkpoints(into m: inout Markup) {
        m.element("section", [("id", "checkpoints")]) { m in
            m.element("h2", text: "Checkpoints")
            m.table(columns: ["Checkpoint", "Floor", "Reached"]) { m in
                for c in input.checkpoints {
                    m.element("tr") { m in
                        m.element("td", text: c.name)
                        m.element("td", [("class", "number")], text: "\(c.level)")
                        if let at = c.reachedAt {
                            m.element("td", text: Format.dateTime(at))
                        } else {
                            m.element("td", [("class", "missed-text")], text: "missed")
                        }
                    }
                }
            }
        }
    }

    private func gases(into m: inout Markup) {
        m.element("section", [("id", "gas")]) { m in
            m.element("h2", text: "Gas readings")
            guard !summary.gases.isEmpty else {
                m.element("p", text: "The robot sent no gas readings.")
                return
            }
            m.table(columns: ["Gas", "Readings", "Highest", "When", "Over threshold", "Incidents"]) { m in
                for g in summary.gases {
                    m.element("tr") { m in
                        m.element("td", text: g.kind.uppercased())
                        m.element("td", [("class", "number")], text: "\(g.readings)")
                        m.element("td", [("class", "number")], text: "\(Format.number(g.maximum, 2)) \(g.unit)")
                        m.element("td", text: Format.dateTime(g.maximumAt))
                        m.element("td", [("class", "number")], text: "\(g.overThreshold)")
                        m.element("td") { m in
                            for id in g.alerts { alertLink(id, into: &m) }
                        }
                    }
                }
            }
            let over = input.readings.filter { $0.alertID != nil }
            guard !over.isEmpty else { return }
            m.element("h3", text: "Readings over threshold")
            m.table(columns: ["When", "Gas", "Value", "Floor", "Where", "Incident"]) { m in
                for r in over.prefix(Self.listedReadings) {
                    m.element("tr") { m in
                        m.element("td", text: Format.dateTime(r.time))
                        m.element("td", text: r.kind.uppercased())
                        m.element("td", [("class", "number")], text: "\(Format.number(r.value, 2)) \(r.unit)")
                        m.element("td", [("class", "number")], text: r.floor.map { "\($0)" } ?? "–")
                        m.element(
                            "td",
                            text: r.position.map { "\(Format.degrees($0.lon)), \(Format.degrees($0.lat))" } ?? "–")
                        m.element("td") { m in if let id = r.alertID { alertLink(id, into: &m) } }
                    }
                }
            }
            if over.count > Self.listedReadings {
                m.element(
                    "p", text: "… and \(over.count - Self.listedReadings) more (all in the GeoJSON's `reading` layer).")
            }
        }
    }

    /// The most readings over threshold listed on the page.
    static let listedReadings = 50

    private func findings(into m: inout Markup) {
        m.element("section", [("id", "incidents")]) { m in
            m.element("h2", text: "Detections and incidents")
            if input.detections.isEmpty {
                m.element("p", text: "The camera recognised nothing on this round.")
            } else {
                m.table(columns: ["Detection", "Class", "When", "Confidence", "Incident"]) { m in
                    for (d, alert) in input.detections {
                        m.element("tr") { m in
                            m.element("td", text: d.id)
                            m.element("td", text: d.kind.rawValue)
                            m.element("td", text: Format.dateTime(d.time))
                            m.element("td", [("class", "number")], text: Format.number(d.confidence, 2))
                            m.element("td") { m in
                                if let alert { alertLink(alert, into: &m) } else { m.characters("–") }
                            }
                        }
                    }
                }
            }
            for alert in input.alerts {
                m.element("p", [("id", "alert-\(Markup.identifier(alert.id))")]) { m in
                    m.element("strong", text: alert.id)
                    m.characters(
                        ": \(alert.kind.rawValue), \(alert.state.rawValue), first seen \(Format.dateTime(alert.firstSeen)), "
                            + "\(alert.observations) observation\(alert.observations == 1 ? "" : "s") at "
                            + "\(Format.degrees(alert.position.lon)), \(Format.degrees(alert.position.lat))")
                }
            }
        }
    }

    private func alertLink(_ id: String, into m: inout Markup) {
        m.element("a", [("href", "#alert-\(Markup.identifier(id))")], text: id)
        m.characters(" ")
    }

    private func spoken(into m: inout Markup) {
        m.element("section", [("id", "spoken")]) { m in
            m.element("h2", text: "Commands and warnings spoken")
            guard !input.commands.isEmpty else {
                m.element("p", text: "No commands were sent to the robot.")
                return
            }
            m.table(columns: ["Sent", "Command", "Action", "Answer", "Text"]) { m in
                for c in input.commands {
                    m.element("tr") { m in
                        m.element("td", text: Format.dateTime(c.sentAt))
                        m.element("td", text: c.id)
                        m.element("td", text: c.action)
                        m.element("td", text: c.accepted.map { $0 ? "accepted" : "refused" } ?? "no answer")
                        m.element("td", text: c.text ?? "")
                    }
                }
            }
        }
    }

    private func timeline(into m: inout Markup) {
        var entries: [(Date, String)] = input.events.map { ($0.time, $0.kind + ($0.detail.map { ": \($0)" } ?? "")) }
        entries += input.checkpoints.compactMap { c in c.reachedAt.map { ($0, "checkpoint \(c.name) reached") } }
        entries += input.commands.map { ($0.sentAt, "command \($0.action)" + ($0.text.map { ": “\($0)”" } ?? "")) }
        entries += input.alerts.map { ($0.firstSeen, "incident \($0.id) (\($0.kind.rawValue)) opened") }
        entries += input.detections.map { ($0.detection.time, "detection \($0.detection.kind.rawValue)") }
        m.element("section", [("id", "timeline")]) { m in
            m.element("h2", text: "Timeline")
            m.element("ol", [("class", "timeline")]) { m in
                for (time, text) in entries.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
                    m.element("li") { m in
                        m.element("time", text: Format.dateTime(time))
                        m.characters(text)
                    }
                }
            }
        }
    }
}
