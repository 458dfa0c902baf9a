/// The axes every plot over a flight's time draws the same way: grid lines at quarters of a
/// fraction (0–1) labelled by `label`, and time ticks every "nice" number of minutes (seconds for
/// very short flights) since the first sample.
enum PlotAxes {
    static func write(
        into m: inout Markup, left: Double, right: Double, bottom: Double, height: Double, span: Double,
        py: (Double) -> Double, label: (Double) -> String
    ) {
        for level in stride(from: 0.0, through: 1.0, by: 0.25) {
            let y = Format.number(py(level), 1)
            m.empty(
                "line",
                [
                    ("class", level == 0 ? "axis" : "grid"), ("x1", Format.number(left, 1)), ("y1", y),
                    ("x2", Format.number(right, 1)), ("y2", y),
                ])
            m.element(
                "text", [("x", Format.number(left - 6, 1)), ("y", y), ("dy", "4"), ("text-anchor", "end")],
                text: label(level))
        }
        // Ticks every "nice" number of minutes (or seconds for very short flights).
        let inMinutes = span >= 120
        let scale = inMinutes ? 60.0 : 1.0
        let step = Format.niceStep(atMost: max(span / scale / 5, 1)) * scale
        for tick in stride(from: 0.0, through: span + 0.001, by: step) {
            let x = Format.number(left + (right - left) * tick / span, 1)
            m.empty(
                "line",
                [
                    ("class", "axis"), ("x1", x), ("y1", Format.number(bottom, 1)), ("x2", x),
                    ("y2", Format.number(bottom + 5, 1)),
                ])
            m.element(
                "text", [("x", x), ("y", Format.number(bottom + 18, 1)), ("text-anchor", "middle")],
                text: Format.number(tick / scale, 0))
        }
        m.element(
            "text",
            [
                ("x", Format.number((left + right) / 2, 1)), ("y", Format.number(height - 4, 1)),
                ("text-anchor", "middle"),
            ], text: inMinutes ? "minutes since first sample" : "seconds since first sample")
    }
}
