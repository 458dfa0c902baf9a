import Foundation
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolTestKit
import Testing

/// Draws for generated cases from the project's seeded generator, so they repeat.
extension SeededRandom {
    /// A uniform draw from `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }
    /// A uniform whole number from `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}

enum ScheduleFixtures {
    /// The default site, fleet and hill patrol, planned.
    static func mumianling() throws -> ScheduleProblem {
        let fleet = try Fleet.load(from: TestKit.file("geo/mumianling/fleet.yaml"))
        let loaded = try Mission.load(from: TestKit.defaultMission)
        let plan = try CoveragePlanner.plan(loaded.mission, site: loaded.site)
        let task = try #require(PatrolTask(mission: loaded.mission, plan: plan))
        return ScheduleProblem(
            fleet: fleet, hivePositions: try ScheduleProblem.hivePositions(of: fleet, site: loaded.site),
            patrols: [task])
    }

    static func drone(_ id: String, hive: String, battery: Double = 262, payload: Set<Payload> = [.visual, .thermal])
        -> Drone
    {
        Drone(
            id: id, hive: hive, batteryWh: battery, reserve: 0.25, maxSpeed: 15,
            consumption: ConsumptionModel(cruise: 350, hover: 300, climb: 420, headwindPerMPS: 12, verticalSpeed: 3),
            payload: payload)
    }

    /// A lawnmower path of `lines` lines, `length` long and `spacing` apart, from `hive`.
    static func lawnmower(hive: XY, corner: XY, lines: Int, length: Double, spacing: Double, altitude: Double)
        -> [PathPoint]
    {
        SchedulingBenchmark.lawnmower(
            hive: hive, corner: corner, lines: lines, length: length, spacing: spacing, altitude: altitude)
    }

    /// A random fleet, patrol set, forecast and outages from `seed`.
    static func generated(seed: UInt64) -> ScheduleProblem {
        var draw = SeededRandom(seed: seed)
        var hives: [FleetHive] = []
        var positions: [String: XY] = [:]
        var drones: [Drone] = []
        for h in 0..<draw.int(1...4) {
            let id = "hive-\(h + 1)"
            let capacity = draw.int(1...3)
            hives.append(
                FleetHive(
                    id: id, capacity: capacity,
                    charging: ChargingCurve(power: draw.uniform(150...600)), turnaround: draw.uniform(120...600),
                    launchDelay: draw.uniform(10...60), weatherLimits: WeatherLimits(maxWind: draw.uniform(8...14))))
            positions[id] = XY(draw.uniform(0...2000), draw.uniform(0...2000))
            for d in 0..<draw.int(1...capacity) {
                var payload: Set<Payload> = [.visual]
                if draw.int(0...2) == 0 { payload.insert(.thermal) }
                if draw.int(0...3) == 0 { payload.insert(.loudspeaker) }
                if draw.int(0...9) == 0 { payload = [.loudspeaker] }
                var drone = drone("\(id)-d\(d + 1)", hive: id, battery: draw.uniform(120...300), payload: payload)
                drone.initialChargeWh = drone.batteryWh * draw.uniform(0.5...1)
                drones.append(drone)
            }
        }
        var patrols: [PatrolTask] = []
        for p in 0..<draw.int(1...6) {
            let home = hives[draw.int(0...(hives.count - 1))].id
            let corner = XY(draw.uniform(0...2000), draw.uniform(0...2000))
            let altitude = [40.0, 60, 90, 120, 150].randomElement(using: &draw)!
            let path = lawnmower(
                hive: positions[home]!, corner: corner, lines: draw.int(2...10), length: draw.uniform(100...700),
                spacing: draw.uniform(30...60), altitude: altitude)
            var payload: Set<Payload> = [.visual]
            if draw.int(0...3) == 0 { payload = [.thermal] }
            if draw.int(0...9) == 0 { payload = [.visual, .loudspeaker] }
            let recurrence: PatrolSchedule.Recurrence =
                draw.int(0...2) == 0
                ? .times((0..<draw.int(1...5)).map { _ in Double(draw.int(0...47)) * 1800 }.uniqued())
                : .every(
                    interval: Double(draw.int(1...8)) * 1800, from: Double(draw.int(10...20)) * 1800,
                    to: Double(draw.int(30...46)) * 1800)
            patrols.append(
                PatrolTask(
                    id: "patrol-\(p + 1)", name: "Patrol \(p + 1)",
                    schedule: PatrolSchedule(
                        recurrence: recurrence, window: Double(draw.int(5...60)) * 60, priority: draw.int(1...10),
                        payload: payload,
                        maxStaleness: draw.int(0...1) == 0 ? nil : 3 * 3600,
                        weatherLimits: WeatherLimits(maxWind: draw.uniform(6...12))),
                    homeHive: home, path: path, speed: draw.uniform(5...12)))
        }
        var periods: [WeatherForecast.Period] = []
        var t = 0.0
        while t < 86_400 {
            let length = Double(draw.int(1...6)) * 3600
            periods.append(
                .init(
                    from: t, to: t + length,
                    weather: Weather(
                        wind: draw.int(0...4) == 0 ? draw.uniform(9...15) : draw.uniform(0...8),
                        rain: draw.int(0...7) == 0 ? 6 : 0)))
            t += length
        }
        var outages: [Outage] = []
        if draw.int(0...2) == 0 {
            outages.append(Outage(subject: hives[0].id, from: Double(draw.int(16...32)) * 1800, reason: "offline"))
        }
        return ScheduleProblem(
            fleet: Fleet(siteID: "generated", timeZone: "UTC", hives: hives, drones: drones), hivePositions: positions,
            patrols: patrols, forecast: WeatherForecast(periods: periods), outages: outages)
    }
}

extension Array where Element == Double {
    func uniqued() -> [Double] { Array(Set(self)).sorted() }
}
