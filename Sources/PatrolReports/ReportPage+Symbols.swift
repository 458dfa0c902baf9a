import PatrolModel

/// The legend and the naming of alerts, shared by the map and the tables.
extension ReportPage {
    /// How a legend swatch is drawn.
    enum Swatch {
        /// A filled box in the style of an area layer (CSS class).
        case area(String)
        /// A line in the style of a line layer.
        case line(String)
        /// A dot in the style of a point layer.
        case dot(String)
        /// The hive's hexagon.
        case hive
        /// An alert marker.
        case alert
    }

    /// The legend's entries, in map order.
    static let legend: [(Swatch, String)] = [
        (.area("boundary"), "Community boundary"),
        (.area("tower"), "Tower (height in its tooltip)"),
        (.area("nofly"), "No-fly zone"),
        (.area("planned"), "Planned area"),
        (.area("seen"), "Seen by the camera"),
        (.area("gap"), "Gap (not seen)"),
        (.area("weak"), "Swept, but smoke likely missed (too far, too oblique or behind a tower)"),
        (.line("route"), "Planned route"),
        (.line("track"), "Flown track"),
        (.hive, "Hive"),
        (.dot("detection"), "Detection"),
        (.alert, "Alert"),
    ]

    /// Writes one legend entry: a small SVG swatch and its label.
    func legendItem(_ swatch: Swatch, _ label: String, into m: inout Markup) {
        m.element("li") { m in
            m.element(
                "svg",
                [
                    ("xmlns", "http://www.w3.org/2000/svg"), ("class", "swatch"), ("width", "24"), ("height", "14"),
                    ("viewBox", "0 0 24 14"), ("aria-hidden", "true"),
                ]
            ) { m in
                switch swatch {
                case .area(let style):
                    let fill = style == "nofly" ? [("fill", "url(#nofly-hatch)")] : []
                    m.empty(
                        "rect", [("class", style), ("x", "1"), ("y", "1"), ("width", "22"), ("height", "12")] + fill)
                case .line(let style):
                    m.empty("path", [("class", style), ("d", "M1 7 L23 7")])
                case .dot(let style):
                    m.empty("circle", [("class", style), ("cx", "12"), ("cy", "7"), ("r", "3")])
                case .hive:
                    m.element("g", [("class", "hive")]) {
                        $0.empty("polygon", [("points", "17,7 14.5,11.3 9.5,11.3 7,7 9.5,2.7 14.5,2.7")])
                    }
                case .alert:
                    m.element("g", [("class", "alert")]) {
                        $0.empty("circle", [("cx", "12"), ("cy", "7"), ("r", "6")])
                    }
                }
            }
            m.element("span", text: label)
        }
    }

    /// The `id` of each alert's map marker, `alert-<id>`, made safe for XML and unique.
    static func alertAnchors(_ alerts: [Alert]) -> [String] {
        var used: Set<String> = []
        return alerts.map { alert in
            let base = "alert-\(Markup.identifier(alert.id))"
            var anchor = base
            var suffix = 2
            while used.contains(anchor) {
                anchor = "\(base)-\(suffix)"
                suffix += 1
            }
            used.insert(anchor)
            return anchor
        }
    }

    /// A one-line description of an alert for tooltips.
    static func alertDescription(_ alert: Alert) -> String {
        "Alert \(alert.id): \(alert.kind.rawValue), confidence \(Format.number(alert.confidence, 2)), "
            + "\(alert.observations) observation\(alert.observations == 1 ? "" : "s"), \(alert.state.rawValue)"
    }
}
