import Foundation
import PatrolModel

/// An inline SVG plot of the link quality the device reported over the flight, with every
/// interval the coordinator had lost the device shaded (from its `link_lost` to its
/// `link_resumed`, or to the end of the flight when it never came back). The line breaks where no
/// telemetry came through.
struct LinkPlot {
    /// Telemetry sorted by time.
    let telemetry: [Telemetry]
    /// The coordinator's link events, in time order.
    let events: [LinkEvent]

    private let width = 640.0
    private let height = 200.0
    private let left = 52.0
    private let right = 624.0
    private let top = 14.0
    private let bottom = 164.0

    /// The loss intervals: each `link_lost` to the next `link_resumed`, or to `end`.
    static func lossIntervals(_ events: [LinkEvent], end: Date) -> [(from: Date, to: Date)] {
        var intervals: [(from: Date, to: Date)] = []
        var lostAt: Date?
        for event in events {
            switch event.kind {
            case .lost: if lostAt == nil { lostAt = event.time }
            case .resumed:
                if let from = lostAt { intervals.append((from, max(from, event.time))) }
                lostAt = nil
            }
        }
        if let from = lostAt { intervals.append((from, max(from, end))) }
        return intervals
    }

    /// Writes the `<svg>` element.
    func write(into m: inout Markup) {
        m.element(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("class", "plot"), ("role", "img"),
                ("viewBox", "0 0 \(Format.number(width, 0)) \(Format.number(height, 0))"),
            ]
        ) { m in
            m.element("title", text: "Link quality over the flight, link losses shaded")
            let times = telemetry.map(\.time) + events.map(\.time)
            guard let first = times.min(), let last = times.max() else {
                m.element("text", [("x", "320"), ("y", "100"), ("text-anchor", "middle")], text: "No telemetry")
                return
            }
            let span = max(1, last.timeIntervalSince(first))
            func px(_ t: Date) -> Double { left + (right - left) * t.timeIntervalSince(first) / span }
            func py(_ q: Double) -> Double { bottom - (bottom - top) * min(1, max(0, q)) }
            for (index, loss) in Self.lossIntervals(events, end: last).enumerated() {
                let x0 = px(loss.from)
                let x1 = px(loss.to)
                m.element(
                    "rect",
                    [
                        ("class", "link-lost"), ("data-loss", "\(index + 1)"), ("x", Format.number(x0, 1)),
                        ("y", Format.number(top, 1)), ("width", Format.number(max(1, x1 - x0), 1)),
                        ("height", Format.number(bottom - top, 1)),
                    ]
                ) { m in
                    m.element(
                        "title",
                        text:
                            "Link lost \(Format.time(loss.from)) for \(Format.duration(loss.to.timeIntervalSince(loss.from)))"
                    )
                }
            }
            writeAxes(into: &m, span: span, py: py)
            let samples = telemetry.filter { $0.linkQuality != nil }
            guard let lastSample = samples.last else {
                m.element(
                    "text", [("x", "320"), ("y", Format.number((top + bottom) / 2, 1)), ("text-anchor", "middle")],
                    text: "The device reported no link quality")
                return
            }
            let stride = max(1, samples.count / 600)
            var points = Swift.stride(from: 0, to: samples.count, by: stride).map { samples[$0] }
            if points.last != lastSample { points.append(lastSample) }
            // A silence longer than a few sample intervals is a break in the line, not a slope.
            let typical = samples.count > 1 ? span / Double(samples.count - 1) : span
            let breakAfter = max(3, 4 * typical * Double(stride))
            var previous: Date?
            let data = points.map { sample -> String in
                let move = previous.map { sample.time.timeIntervalSince($0) > breakAfter } ?? true
                previous = sample.time
                let q = sample.linkQuality ?? 0
                return "\(move ? "M" : "L")\(Format.number(px(sample.time), 1)) \(Format.number(py(q), 1))"
            }
            m.empty("path", [("class", "quality"), ("d", data.joined(separator: " "))])
        }
    }

    private func writeAxes(into m: inout Markup, span: Double, py: (Double) -> Double) {
        PlotAxes.write(
            into: &m, left: left, right: right, bottom: bottom, height: height, span: span, py: py,
            label: { Format.number($0, 2) })
    }
}
