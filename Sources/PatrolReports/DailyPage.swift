import Foundation
import PatrolGeo
import PatrolModel

/// The self-contained HTML page of a daily report: per patrol area, the headline figures and a
/// map of the grid coloured by how long ago each cell was last seen; then the day's rounds.
struct DailyPage {
    let input: DailyReport.Input
    let summary: DailySummary
    let grids: [Staleness.Grid]
    /// Tower footprints, site metres.
    let towers: [Polygon]

    /// The staleness classes of a cell, in legend order: (CSS class, label).
    static let classes = [
        ("fresh", "Fresh: seen within the maximum staleness"),
        ("stale", "Stale: up to twice the maximum"),
        ("very-stale", "Very stale: more than twice the maximum"),
        ("unseen", "Not seen this day"),
    ]

    static let css = """
        svg.grid { display: block; width: 100%; height: auto; max-height: 70vh; background: #fbfcfd; }
        .cell-fresh { fill: #2f9e74; background: #2f9e74; } .cell-stale { fill: #f59f00; background: #f59f00; }
        .cell-very-stale { fill: #e03131; background: #e03131; } .cell-unseen { fill: #9aa5b1; background: #9aa5b1; }
        .swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; }
        .note { background: #fff7d6; border: 1px solid #f0d58c; border-radius: 8px; padding: 8px 12px; }
        """

    func render() -> String {
        Markup.document(title: "Patrol day \(summary.day): \(input.site.name)", css: ReportStyle.css + "\n" + Self.css)
        { m in
            m.element("header") { m in
                m.element("h1", text: "Patrol day \(summary.day): \(input.site.name)")
                m.element(
                    "p", [("class", "meta")],
                    text:
                        "\(summary.rounds.count) round\(summary.rounds.count == 1 ? "" : "s") · "
                        + "the site's day in \(summary.timeZone), from \(Format.dateTime(summary.from)) · "
                        + "staleness measured at \(Format.dateTime(summary.asOf))"
                )
                for note in summary.notes { m.element("p", [("class", "note")], text: note) }
            }
            m.element("main") { m in
                for (area, grid) in zip(summary.areas, grids) { write(area, grid, into: &m) }
                writeRounds(into: &m)
                writeRobotRounds(into: &m)
            }
            m.element("footer") { m in
                m.element(
                    "p",
                    text:
                        "Site \(input.site.id), measured in \(input.site.crs) on "
                        + "\(Format.number(input.cellSize, 0)) m cells. "
                        + "A cell is seen when its centre lies in a camera footprint (flat ground); times are UTC."
                )
            }
        }
    }

    private func write(_ area: DailySummary.Area, _ grid: Staleness.Grid, into m: inout Markup) {
        m.element("section", [("id", "area-\(Markup.identifier(area.id))")]) { m in
            m.element("h2", text: "\(area.name) (\(area.id))")
            let figures: [(String, String)] = [
                ("Fresh now", Format.percent(area.freshPercent)),
                ("Fresh over the day", Format.percent(area.freshOverDayPercent)),
                ("Not seen today", Format.percent(area.neverSeenPercent)),
                ("Worst staleness", area.worstStaleness.map(Format.duration) ?? "–"),
                ("Maximum staleness", Format.duration(area.maximumStaleness)),
                ("Area", Format.area(area.area)),
            ]
            m.figures(figures.map { ("", $0.0, $0.1) })
            m.element("figure") { m in
                writeGrid(grid, into: &m)
                m.element("figcaption") { m in
                    m.element("ul", [("class", "legend")]) { m in
                        for (kind, label) in Self.classes {
                            m.element("li") { m in
                                m.element("span", [("class", "swatch cell-\(kind)")], text: "")
                                m.characters(label)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The grid as runs of same-class cells along each row (one `<rect>` per run), under the
    /// site's towers.
    private func writeGrid(_ grid: Staleness.Grid, into m: inout Markup) {
        let size = grid.cellSize
        let width = Double(grid.columns) * size
        let height = Double(grid.rows) * size
        let margin = max(10, 0.04 * max(width, height))
        let box = Bounds(min: grid.origin, max: grid.origin + XY(width, height)).expanded(by: margin)
        func svg(_ p: XY) -> (String, String) {
            (Format.coordinate(p.x - box.min.x), Format.coordinate(box.max.y - p.y))
        }
        let staleness = grid.staleness
        let maximum = grid.target.maximumStaleness
        func kind(_ cell: Int) -> Int {
            guard let s = staleness[cell] else { return 3 }
            return s <= maximum ? 0 : s <= 2 * maximum ? 1 : 2
        }
        let viewBox = "0 0 \(Format.coordinate(box.width)) \(Format.coordinate(box.height))"
        m.element("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("class", "grid"), ("viewBox", viewBox)]) { m in
            m.element("title", text: "Staleness of \(grid.target.name) on \(Format.number(size, 0)) m cells, north up")
            var runs: [Int: String] = [:]
            for (cell, centre) in grid.centres.enumerated() {
                let k = kind(cell)
                let (x, y) = svg(centre + XY(-size / 2, size / 2))
                runs[k, default: ""] +=
                    "M\(x) \(y)h\(Format.coordinate(size))v\(Format.coordinate(size))"
                    + "h-\(Format.coordinate(size))z"
            }
            for (index, (name, _)) in Self.classes.enumerated() {
                guard let path = runs[index] else { continue }
                m.empty("path", [("class", "cell-\(name)"), ("d", path), ("shape-rendering", "crispEdges")])
            }
            for tower in towers {
                let b = tower.bounds
                guard b.max.x >= box.min.x, b.min.x <= box.max.x, b.max.y >= box.min.y, b.min.y <= box.max.y else {
                    continue
                }
                let d = tower.exterior.map { p -> String in
                    let (x, y) = svg(p); return "\(x) \(y)"
                }
                m.empty("path", [("class", "tower"), ("d", "M" + d.joined(separator: "L") + "z")])
            }
        }
    }

    private func writeRobotRounds(into m: inout Markup) {
        guard !summary.robotRounds.isEmpty else { return }
        m.element("section", [("id", "robot-rounds")]) { m in
            m.element("h2", text: "Robot rounds")
            m.table(columns: [
                "Round", "Robot", "Start", "Checkpoints", "Missed", "Gas over threshold", "Incidents", "Spoken",
            ]) { m in
                for r in summary.robotRounds {
                    m.element("tr") { m in
                        m.element("td") { m in m.element("a", [("href", "round-\(r.id).html")], text: r.id) }
                        m.element("td", text: r.robot)
                        m.element("td", text: r.start.map(Format.time) ?? "–")
                        m.element(
                            "td", [("class", "number")], text: "\(r.checkpointsReached) of \(r.checkpoints.count)")
                        m.element(
                            "td", text: r.checkpointsMissed.isEmpty ? "–" : r.checkpointsMissed.joined(separator: ", "))
                        m.element(
                            "td",
                            text: r.gases.filter { $0.overThreshold > 0 }
                                .map { "\($0.kind.uppercased()) max \(Format.number($0.maximum, 1)) \($0.unit)" }
                                .joined(separator: "; "))
                        m.element("td", text: r.alerts.isEmpty ? "–" : r.alerts.joined(separator: ", "))
                        m.element("td", [("class", "number")], text: "\(r.spoken.count)")
                    }
                }
            }
        }
    }

    private func writeRounds(into m: inout Markup) {
        m.element("section", [("id", "rounds")]) { m in
            m.element("h2", text: "Rounds")
            guard !summary.rounds.isEmpty else {
                m.element("p", text: "No rounds were recorded on this day.")
                return
            }
            m.table(columns: ["Round", "Kind", "Device", "Mission", "Start", "End", "Views"]) { m in
                for r in summary.rounds {
                    m.element("tr") { m in
                        m.element("td", text: r.id)
                        m.element("td", text: r.kind.rawValue)
                        m.element("td", text: r.device)
                        m.element("td", text: r.missionID)
                        m.element("td", text: r.start.map(Format.time) ?? "–")
                        m.element("td", text: r.end.map(Format.time) ?? "–")
                        m.element("td", [("class", "number")], text: "\(r.views)")
                    }
                }
            }
        }
    }
}
