import Foundation

// The charge bookkeeping itself lives on the timelines (`SchedulerState.recharge(_:from:)`); these
// are the formatting helpers the reasons and tables share.

/// `String(format:)` with the C locale, for reasons and tables.
func fmt(_ format: String, _ values: any CVarArg...) -> String {
    String(format: format, locale: posixLocale, arguments: values)
}

private let posixLocale = Locale(identifier: "en_US_POSIX")

/// Seconds after local midnight as `HH:MM`.
func clock(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "end of day" }
    let minutes = Int((seconds / 60).rounded(.down))
    // As `%02d:%02d`, without `String(format:)` (ICU number formatting, slow in the search loop).
    func two(_ n: Int) -> String { (0..<10).contains(n) ? "0\(n)" : "\(n)" }
    return two(minutes / 60) + ":" + two(minutes % 60)
}
