import Foundation
import PatrolGeo

/// The `QGC WPL 110` mission text: a header line, then one tab-separated line per item: index,
/// current, frame, command, param1–4, latitude, longitude, altitude, autocontinue. Item 0 is the
/// home position (altitude above sea level); the others fly the mission.
enum WaypointsFile {
    static let header = "QGC WPL 110"
    /// Longer lines are refused: twelve numbers never need this many bytes.
    static let maximumLineLength = 1024

    /// Reads the file line by line; it stops at the first problem, so memory stays bounded.
    ///
    /// - Throws: ``LoadError`` naming the file and line: a wrong header or version, a wrong number
    ///   of fields, a field that is not a number, an index out of sequence, a position out of
    ///   range, more than 65,535 items, or any problem ``MissionItem`` finds in the mission.
    static func read(_ url: URL, missionID: String) throws(LoadError) -> (FlightPlan, [String]) {
        var reader = try LineReader(url, maximumLength: maximumLineLength)
        let file = url.path
        guard let first = try reader.next() else { throw LoadError(file: file, line: 1, message: "the file is empty") }
        let header = first.trimmingCharacters(in: .whitespaces)
        guard header == Self.header else {
            let message =
                header.hasPrefix("QGC WPL ")
                ? "version `\(header.dropFirst(8))` is not supported; Patrol reads `\(Self.header)`"
                : "expected the header `\(Self.header)`"
            throw LoadError(file: file, line: 1, message: message)
        }
        var home: (position: LonLat, altitude: Double)?
        var items: [LocatedItem] = []
        while let line = try reader.next() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let n = reader.lineNumber
            let fields = line.split { $0 == "\t" || $0 == " " }
            guard fields.count == 12 else {
                throw LoadError(
                    file: file, line: n,
                    message: "expected 12 tab-separated fields (index, current, frame, command, param1–4, latitude, "
                        + "longitude, altitude, autocontinue), found \(fields.count)")
            }
            let item = try parse(fields, file: file, line: n)
            let expected = items.count + (home == nil ? 0 : 1)
            guard item.index == expected else {
                throw LoadError(
                    file: file, line: n, message: "item index \(item.index) out of sequence; expected \(expected)")
            }
            if home == nil {
                let position = LonLat(lon: item.item.longitude, lat: item.item.latitude)
                guard position.isValid, item.item.altitude.isFinite else {
                    throw LoadError(
                        file: file, line: n, message: "the home position (item 0) is not a position on Earth")
                }
                home = (position, item.item.altitude)
                continue
            }
            guard items.count < MissionItem.maximumCount else {
                throw LoadError(file: file, line: n, message: "more than 65,535 mission items (MAVLink's limit)")
            }
            items.append(LocatedItem(item: item.item, line: n))
        }
        guard let home else { throw LoadError(file: file, message: "no items: expected the home position as item 0") }
        let (route, skipped) = try MissionItem.route(
            from: items, home: home.position, homeAltitude: home.altitude, speed: nil, missionID: missionID, file: file)
        return (FlightPlan(route: route, home: home.position, homeAltitude: home.altitude), skipped)
    }

    private static func parse(_ fields: [Substring], file: String, line: Int) throws(LoadError) -> (
        index: Int, item: MissionItem
    ) {
        let names = [
            "index", "current", "frame", "command", "param1", "param2", "param3", "param4", "latitude", "longitude",
            "altitude", "autocontinue",
        ]
        // Whole-number columns and their ranges; parameters 1–4 may be NaN (unset).
        let integers: [Int: Double] = [0: 1e9, 1: 1, 2: 255, 3: 65_535, 11: 1]
        var numbers: [Double] = []
        for (i, field) in fields.enumerated() {
            guard let value = Double(field) else {
                throw LoadError(file: file, line: line, field: names[i], message: "`\(field)` is not a number")
            }
            let whole = integers[i].map { value.rounded() == value && value >= 0 && value <= $0 } ?? true
            guard (4...7).contains(i) || value.isFinite, whole else {
                throw LoadError(
                    file: file, line: line, field: names[i], message: "`\(field)` is not a valid \(names[i])")
            }
            numbers.append(value)
        }
        let item = MissionItem(
            command: Int(numbers[3]), frame: Int(numbers[2]), params: Array(numbers[4...10]),
            autoContinue: numbers[11] != 0)
        return (Int(numbers[0]), item)
    }

    /// The plan as `QGC WPL 110` text; fences and rally points are not part of this format.
    static func text(_ plan: FlightPlan) -> String {
        var lines = [
            header,
            row(
                0, current: 1,
                MissionItem(
                    command: MissionItem.Command.waypoint, frame: MissionItem.Frame.global,
                    params: [0, 0, 0, 0, plan.home.lat, plan.home.lon, plan.homeAltitude])),
        ]
        for (i, item) in MissionItem.items(for: plan.route).enumerated() {
            lines.append(row(i + 1, current: 0, item))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ index: Int, current: Int, _ item: MissionItem) -> String {
        let values = item.params.map { (v: Double) -> String in
            if v.isNaN { return "nan" }
            return v.rounded() == v && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
        }
        return
            (["\(index)", "\(current)", "\(item.frame)", "\(item.command)"] + values + [item.autoContinue ? "1" : "0"])
            .joined(separator: "\t")
    }
}
