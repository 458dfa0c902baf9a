import Foundation

/// Locale-independent text for numbers, durations and times in reports.
///
/// Reports must read the same on every machine, so nothing here consults the current locale or
/// time zone: numbers use a full stop, times are UTC.
enum Format {
    /// `value` with `decimals` digits after the point; `–` when not finite.
    static func number(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "–" }
        let text = String(format: "%.\(max(0, decimals))f", value)
        // Avoid "-0.0" for tiny negatives.
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    /// A coordinate for SVG path data: one decimal (10 cm) is plenty for a map in metres.
    static func coordinate(_ value: Double) -> String { number(value, 1) }

    /// A percentage such as `98.7 %`.
    static func percent(_ value: Double) -> String { "\(number(value, 1)) %" }

    /// A distance such as `840 m` or `12.35 km`.
    static func distance(_ metres: Double) -> String {
        abs(metres) >= 10_000 ? "\(number(metres / 1000, 2)) km" : "\(number(metres, 0)) m"
    }

    /// An area such as `850 m²` or `12.04 ha`.
    static func area(_ squareMetres: Double) -> String {
        abs(squareMetres) >= 10_000 ? "\(number(squareMetres / 10_000, 2)) ha" : "\(number(squareMetres, 0)) m²"
    }

    /// A duration such as `45 s`, `12 min 05 s` or `1 h 02 min`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        let total = Int(max(0, seconds).rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        if h > 0 { return "\(h) h \(twoDigits(m)) min" }
        if m > 0 { return "\(m) min \(twoDigits(s)) s" }
        return "\(s) s"
    }

    /// Time since the start of the flight, such as `T+12:05` or `T+1:02:05`.
    static func offset(_ seconds: Double) -> String {
        let total = Int(max(0, seconds.isFinite ? seconds : 0).rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? "T+\(h):\(twoDigits(m)):\(twoDigits(s))" : "T+\(twoDigits(m)):\(twoDigits(s))"
    }

    /// A UTC date and time such as `2026-05-01 09:30:00 UTC`.
    static func dateTime(_ date: Date) -> String {
        let iso = date.formatted(.iso8601)  // 2026-05-01T09:30:00Z, always UTC
        return iso.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }

    /// A UTC time of day such as `09:30:00`.
    static func time(_ date: Date) -> String {
        let iso = date.formatted(.iso8601)
        guard let t = iso.firstIndex(of: "T") else { return iso }
        return String(iso[iso.index(after: t)...].prefix(8))
    }

    /// A UTC ISO 8601 timestamp with milliseconds, such as `2026-05-01T09:30:00.500Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Degrees of latitude and longitude to six decimals (about 10 cm).
    static func degrees(_ value: Double) -> String { number(value, 6) }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// The largest "nice" length (1, 2 or 5 times a power of ten) not above `limit`.
    static func niceStep(atMost limit: Double) -> Double {
        guard limit.isFinite, limit > 0 else { return 1 }
        let power = pow(10, floor(log10(limit)))
        for factor in [5.0, 2.0, 1.0] where factor * power <= limit { return factor * power }
        return power
    }
}
