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
        PlotAxes.write(
            into: &m, left: left, right: right, bottom: bottom, height: height, span: span, py: py,
            label: { "\(Format.number($0 * 100, 0)) %" })
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
