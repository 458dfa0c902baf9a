import Foundation
import PatrolGeo
import PatrolModel

/// The inline SVG map of a flight, drawn in site metres with north up.
///
/// SVG's y axis points down, so northings are flipped: a point's SVG position is
/// `(x - minX, maxY - y)` in metres, and the view box is the map's extent plus a margin.
/// Line widths are in screen pixels (`vector-effect: non-scaling-stroke`), sizes of symbols and
/// text in ``unit`` metres so they keep their proportion to the map.
struct ReportMap {
    let input: FlightReportInput
    let projected: ProjectedFlight
    let coverage: CoverageResult
    let detectability: DetectabilityResult
    /// The area shown, site metres.
    let bounds: Bounds
    /// The size of a symbol "point" in metres: a 150th of the map's larger side.
    let unit: Double

    init(
        input: FlightReportInput, projected: ProjectedFlight, coverage: CoverageResult,
        detectability: DetectabilityResult
    ) {
        self.input = input
        self.projected = projected
        self.coverage = coverage
        self.detectability = detectability
        // At least 100 m each way around the extent's centre, then a margin.
        let extent = projected.extent(plannedArea: input.plannedArea)
        let centre = XY((extent.min.x + extent.max.x) / 2, (extent.min.y + extent.max.y) / 2)
        let half = XY(max(extent.width, 100) / 2, max(extent.height, 100) / 2)
        let side = 2 * max(half.x, half.y)
        bounds = Bounds(min: centre - half, max: centre + half).expanded(by: max(20, 0.06 * side))
        unit = max(bounds.width, bounds.height) / 150
    }

    /// Writes the `<svg>` element.
    func write(into m: inout Markup) {
        let viewBox = "0 0 \(Format.coordinate(bounds.width)) \(Format.coordinate(bounds.height))"
        m.element(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("class", "map"), ("viewBox", viewBox), ("role", "img"),
                ("preserveAspectRatio", "xMidYMid meet"),
                ("style", "font-size: \(Format.number(unit * 2.4, 2))px; --halo: \(Format.number(unit * 0.6, 2))px"),
            ]
        ) { m in
            m.element("title", text: "Map of flight \(input.flight.id), site metres (\(input.site.crs)), north up")
            writeDefinitions(into: &m)
            shape(into: &m, "boundary", path(projected.boundary))
            for tower in projected.towers {
                m.element("path", [("class", "tower"), ("d", path(tower.polygon)), Self.crisp]) {
                    $0.element("title", text: tower.label)
                }
            }
            for zone in projected.noFlyZones {
                m.element("path", [("class", "nofly"), ("d", path(zone.polygon)), Self.crisp]) {
                    $0.element("title", text: zone.label)
                }
            }
            shape(into: &m, "planned", path(input.plannedArea), title: "Planned: \(Format.area(coverage.plannedArea))")
            let seen = "Seen: \(Format.area(coverage.seenArea)) (\(Format.percent(coverage.percent)))"
            shape(into: &m, "seen", path(coverage.seen), title: seen)
            for (index, gap) in coverage.gaps.polygons.enumerated() {
                m.element("path", [("class", "gap"), ("d", path(gap)), Self.crisp]) {
                    $0.element("title", text: "Gap \(index + 1): \(Format.area(gap.area))")
                }
            }
            let weakArea = Double(detectability.weakCells.count) * pow(detectability.model.cellSize, 2)
            shape(into: &m, "weak", weakCells, title: "Swept, but smoke likely missed: \(Format.area(weakArea))")
            shape(into: &m, "route", polyline(projected.route), title: "Planned route")
            shape(into: &m, "track", polyline(projected.track), title: "Flown track")
            writeMarkers(into: &m)
            writeScaleBar(into: &m)
            writeNorthArrow(into: &m)
        }
    }

    /// Writes a `<path>` of class `style` unless `data` is empty.
    private func shape(into m: inout Markup, _ style: String, _ data: String, title: String? = nil) {
        guard !data.isEmpty else { return }
        guard let title else { return m.empty("path", [("class", style), ("d", data), Self.crisp]) }
        m.element("path", [("class", style), ("d", data), Self.crisp]) { $0.element("title", text: title) }
    }

    private func writeDefinitions(into m: inout Markup) {
        let s = Format.coordinate(unit * 1.5)
        m.element("defs") { m in
            m.element(
                "pattern",
                [
                    ("id", "nofly-hatch"), ("patternUnits", "userSpaceOnUse"), ("width", s), ("height", s),
                    ("patternTransform", "rotate(45)"),
                ]
            ) { m in
                m.empty("rect", [("width", s), ("height", s), ("fill", "#dc2626"), ("fill-opacity", "0.08")])
                m.empty(
                    "line",
                    [
                        ("x1", "0"), ("y1", "0"), ("x2", "0"), ("y2", s), ("stroke", "#dc2626"),
                        ("stroke-width", Format.number(unit * 0.5, 2)),
                    ])
            }
        }
    }

    private func writeMarkers(into m: inout Markup) {
        for (detection, position) in zip(input.detections, projected.detections) {
            let text =
                "\(detection.kind.rawValue), confidence \(Format.number(detection.confidence, 2)), "
                + Format.dateTime(detection.time)
            let dot = point(position) + [("class", "detection"), ("r", Format.number(unit * 0.6, 2)), Self.crisp]
            m.element("circle", dot) {
                $0.element("title", text: text)
            }
        }
        if let hive = projected.hive {
            let corners = (0..<6).map { i in
                let angle = Double(i) * .pi / 3
                return "\(Format.coordinate(x(hive.position) + unit * 2 * cos(angle))),"
                    + Format.coordinate(y(hive.position) + unit * 2 * sin(angle))
            }
            m.element("g", [("class", "hive")]) { m in
                m.element("title", text: "Hive \(hive.id)")
                m.empty("polygon", [("points", corners.joined(separator: " ")), Self.crisp])
                writeText(into: &m, label(at: hive.position), hive.id)
            }
        }
        for (anchor, (alert, position)) in zip(
            ReportPage.alertAnchors(input.alerts), zip(input.alerts, projected.alerts))
        {
            m.element("g", [("id", anchor), ("class", "alert")]) { m in
                m.element("title", text: ReportPage.alertDescription(alert))
                m.empty("circle", point(position) + [("r", Format.number(unit * 1.8, 2)), Self.crisp])
                let mark = [
                    ("x", Format.coordinate(x(position))), ("y", Format.coordinate(y(position) + unit * 0.8)),
                    ("class", "alert-mark"), ("text-anchor", "middle"),
                ]
                m.element("text", mark, text: "!")
                writeText(into: &m, label(at: position), alert.id)
            }
        }
    }

    private func writeScaleBar(into m: inout Markup) {
        let length = Format.niceStep(atMost: bounds.width / 4)
        let (x0, y0, h) = (unit * 4, bounds.height - unit * 4, unit * 1.2)
        m.element("g", [("class", "scalebar")]) { m in
            for half in 0..<2 {
                m.empty(
                    "rect",
                    [
                        ("x", Format.coordinate(x0 + Double(half) * length / 2)), ("y", Format.coordinate(y0 - h)),
                        ("width", Format.coordinate(length / 2)), ("height", Format.coordinate(h)),
                        ("class", half == 0 ? "dark" : "light"), Self.crisp,
                    ])
            }
            let text = [("x", Format.coordinate(x0 + length / 2)), ("y", Format.coordinate(y0 - h - unit))]
            writeText(into: &m, text + [("text-anchor", "middle")], Format.distance(length))
        }
    }

    private func writeNorthArrow(into m: inout Markup) {
        let (cx, top) = (bounds.width - unit * 5, unit * 4)
        let tip = "\(Format.coordinate(cx)),\(Format.coordinate(top))"
        let left = "\(Format.coordinate(cx - unit * 1.5)),\(Format.coordinate(top + unit * 5))"
        let notch = "\(Format.coordinate(cx)),\(Format.coordinate(top + unit * 3.8))"
        let right = "\(Format.coordinate(cx + unit * 1.5)),\(Format.coordinate(top + unit * 5))"
        m.element("g", [("class", "north")]) { m in
            m.element("title", text: "Grid north of \(input.site.crs)")
            m.empty("polygon", [("points", [tip, left, notch, right].joined(separator: " "))])
            let label = [("x", Format.coordinate(cx)), ("y", Format.coordinate(top + unit * 8))]
            writeText(into: &m, label + [("text-anchor", "middle")], "N")
        }
    }

    /// Writes a label twice: a thick white copy underneath as a halo, then the text itself.
    private func writeText(into m: inout Markup, _ attributes: [(String, String)], _ text: String) {
        m.element("text", attributes + [("class", "halo"), ("aria-hidden", "true")], text: text)
        m.element("text", attributes, text: text)
    }

    /// Keeps a shape's outline the same width on screen whatever the map's scale.
    private static let crisp = ("vector-effect", "non-scaling-stroke")

    // MARK: Coordinates

    func x(_ p: XY) -> Double { p.x - bounds.min.x }
    func y(_ p: XY) -> Double { bounds.max.y - p.y }

    private func point(_ p: XY) -> [(String, String)] {
        [("cx", Format.coordinate(x(p))), ("cy", Format.coordinate(y(p)))]
    }

    private func label(at p: XY) -> [(String, String)] {
        [("x", Format.coordinate(x(p) + unit * 2.4)), ("y", Format.coordinate(y(p) - unit * 1.6))]
    }

    /// Path data for a list of points: `M x y L x y …`, closed with `Z` when `closed`.
    func pathData(_ points: [XY], closed: Bool) -> String {
        var parts: [String] = []
        parts.reserveCapacity(points.count)
        for p in points where p.x.isFinite && p.y.isFinite {
            parts.append("\(parts.isEmpty ? "M" : "L")\(Format.coordinate(x(p))) \(Format.coordinate(y(p)))")
        }
        if closed && !parts.isEmpty { parts.append("Z") }
        return parts.joined(separator: " ")
    }

    func path(_ polygon: Polygon) -> String {
        ([polygon.exterior] + polygon.holes).map { pathData($0, closed: true) }.joined(separator: " ")
    }

    func path(_ area: MultiPolygon) -> String { area.polygons.map { path($0) }.joined(separator: " ") }

    func polyline(_ points: [XY]) -> String { pathData(points, closed: false) }

    /// The swept cells below the detection threshold, as one path of squares.
    var weakCells: String {
        let size = detectability.model.cellSize
        let side = Format.coordinate(size)
        return detectability.weakCells.map { c in
            "M\(Format.coordinate(x(c) - size / 2)) \(Format.coordinate(y(c) - size / 2))h\(side)v\(side)h-\(side)Z"
        }.joined()
    }
}
