public import Foundation
import PatrolGeo
import PatrolModel
public import PatrolReports
public import PatrolStore

extension PatrolStore {
    /// The day `YYYY-MM-DD` in `timeZone` (midnight to midnight there, so 23 or 25 hours across a
    /// daylight-saving change) as an interval, or `nil` when `text` is not such a date.
    public static func day(_ text: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> DateInterval? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let start = calendar.date(from: components),
            let end = calendar.date(byAdding: .day, value: 1, to: start)
        else { return nil }
        return DateInterval(start: start, end: end)
    }

    /// Everything a daily report is made from, read from the record: the day's flights and robot
    /// rounds as rounds (robot rounds also as ``RoundSummary`` values), and the site's patrol areas as targets.
    ///
    /// An area flown that day by a mission naming it keeps that flight's planned area (the
    /// ground the camera is meant to see: no-fly zones and towers left out) and the smallest
    /// maximum staleness of those missions; other areas are measured as drawn, against
    /// ``Staleness/defaultMaximum``. Flights over another site than the first flight's, or
    /// without a plan record, are left out and named in the notes.
    ///
    /// - Parameters:
    ///   - day: `YYYY-MM-DD`, the site's local day in `timeZone`.
    ///   - asOf: when staleness is measured; the end of the day when `nil`.
    ///   - timeZone: the site's time zone (the fleet file's `time_zone`).
    /// - Throws: ``ReportRecordError`` for a malformed day or a day without reportable flights;
    ///   ``StoreError`` or ``GeoError`` when the record cannot be read or projected.
    public func dailyReportInput(
        day: String, asOf: Date? = nil, timeZone: TimeZone = TimeZone(identifier: "UTC")!
    ) throws -> DailyReport.Input {
        guard let interval = Self.day(day, timeZone: timeZone) else {
            throw ReportRecordError(message: "`\(day)` is not a date; expected YYYY-MM-DD (\(timeZone.identifier))")
        }
        var inputs: [FlightReportInput] = []
        var robotInputs: [RoundReport.Input] = []
        var skipped: [String] = []
        for flight in try flights(in: interval) {
            do {
                if try robotRound(flight.id) != nil {
                    robotInputs.append(try roundReportInput(flightID: flight.id))
                } else {
                    inputs.append(try reportInput(flightID: flight.id))
                }
            } catch is ReportRecordError {
                skipped.append(flight.id)
            }
        }
        guard let site = inputs.first?.site ?? robotInputs.first?.site else {
            throw ReportRecordError(message: "no reportable flights on \(day) in \(path)")
        }
        skipped += inputs.filter { $0.site.id != site.id }.map(\.flight.id)
        inputs.removeAll { $0.site.id != site.id }
        skipped += robotInputs.filter { $0.site.id != site.id }.map(\.flight.id)
        robotInputs.removeAll { $0.site.id != site.id }

        let frame = try SiteFrame(crs: site.crs)
        let targets = try site.areas.map { (area) throws -> Staleness.Target in
            let flown = inputs.filter {
                if case .areaCoverage(.site(let id)) = $0.mission.kind { return id == area.id }
                return false
            }
            let ground = try flown.last?.plannedArea ?? MultiPolygon(frame.project(area.polygon))
            let maximum = flown.compactMap(\.mission.maximumStaleness).min() ?? Staleness.defaultMaximum
            return Staleness.Target(id: area.id, name: area.name, area: ground, maximumStaleness: maximum)
        }
        var result = DailyReport.Input(
            site: site, day: day, interval: interval, asOf: asOf, targets: targets,
            rounds: try inputs.map { (input) throws(GeoError) in try PatrolRound.drone(input) }
                + robotInputs.map { (input) throws(GeoError) in try RoundReport.patrolRound(input) })
        result.robotRounds = robotInputs.map(RoundReport.summary)
        result.timeZone = timeZone.identifier
        if !skipped.isEmpty {
            result.notes.append("Left out (no plan record, or another site): \(skipped.joined(separator: ", ")).")
        }
        return result
    }
}
