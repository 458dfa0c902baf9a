import Foundation
import PatrolModel

/// An inline SVG plot of battery charge over the flight, with the surveying periods shaded.
struct BatteryPlot {
    /// Telemetry sorted by time.
    let telemetry: [Telemetry]

    private let width = 640.0
    private let height = 220.0
    private let left = 52.0
    private let right = 624.0
    private let top = 14.0
    private let bottom = 184.0

    /// Writes the `<svg>` element.
    func write(into m: inout Markup) {
        m.element(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("class", "plot"), ("role", "img"),
                ("viewBox", "0 0 \(Format.number(width, 0)) \(Format.number(height, 0))"),
            ]
        ) { m in
            m.element("title", text: "Battery charge over the flight")
            guard let first = telemetry.first, let last = telemetry.last else {
                m.element("text", [("x", "320"), ("y", "110"), ("text-anchor", "middle")], text: "No telemetry")
                return
            }
            let span = max(1, last.time.timeIntervalSince(first.time))
            func px(_ t: Date) -> Double { left + (right - left) * t.timeIntervalSince(first.time) / span }
            func py(_ charge: Double) -> Double { bottom - (bottom - top) * min(1, max(0, charge)) }
            for run in surveyingRuns() {
                let x0 = px(telemetry[run.lowerBound].time)
                let x1 = px(telemetry[run.upperBound].time)
                m.empty(
                    "rect",
                    [
                        ("class", "surveying"), ("x", Format.number(x0, 1)), ("y", Format.number(top, 1)),
                        ("width", Format.number(max(0.5, x1 - x0), 1)), ("height", Format.number(bottom - top, 1)),
                    ])
            }
            writeAxes(into: &m, span: span, py: py)
            let stride = max(1, telemetry.count / 600)
            var points = Swift.stride(from: 0, to: telemetry.count, by: stride).map { telemetry[$0] }
            if points.last != last { points.append(last) }
            let data = points.enumerated().map { index, sample in
                "\(index == 0 ? "M" : "L")\(Format.number(px(sample.time), 1)) \(Format.number(py(sample.battery), 1))"
            }
            m.empty("path", [("class", "battery"), ("d", data.joined(separator: " "))])
        }
    }

    private func writeAxes(into m: inout Markup, span: Double, py: (Double) -> Double) {
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
                text: "\(Format.number(level * 100, 0)) %")
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

    /// Index ranges (inclusive) of consecutive surveying samples.
    private func surveyingRuns() -> [ClosedRange<Int>] {
        var runs: [ClosedRange<Int>] = []
        var start: Int?
        for (index, sample) in telemetry.enumerated() {
            if sample.state == .surveying {
                if start == nil { start = index }
            } else if let s = start {
                runs.append(s...index - 1)
                start = nil
            }
        }
        if let s = start { runs.append(s...telemetry.count - 1) }
        return runs
    }
}
