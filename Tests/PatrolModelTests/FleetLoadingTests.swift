import Foundation
import PatrolModel
import PatrolTestKit
import Testing

struct FleetLoadingTests {
    static let fleetFile = TestKit.file("geo/mumianling/fleet.yaml")

    @Test func defaultFleet() throws {
        let fleet = try Fleet.load(from: Self.fleetFile)
        #expect(fleet.siteID == "mumianling")
        #expect(fleet.hives.map(\.id) == ["hive-1"])
        #expect(fleet.drones(in: "hive-1").count == 2)
        #expect(fleet.drone("drone-1")?.payload == [.visual, .thermal])
        #expect(fleet.drone("drone-1")?.initialChargeWh == 262)
        #expect(fleet.robots.first?.sensors.contains(.gasH2S) == true)
        #expect(fleet.hive("hive-1")?.charging.power == 400)
    }

    @Test func defaultMissionHasItsSchedule() throws {
        let schedule = try #require(try Mission.load(from: TestKit.defaultMission).mission.schedule)
        #expect(schedule.recurrence.dueTimes == stride(from: 6.0, through: 22, by: 2).map { $0 * 3600 })
        #expect(schedule.priority == 8)
        #expect(schedule.maxStaleness == Double?(10_800))
        #expect(schedule.weatherLimits.maxWind == 10)
        #expect(schedule.window == 1800)
    }

    @Test func chargingCurveIsConsistent() {
        let curve = ChargingCurve(power: 400, taperFrom: 0.8, taperEndFraction: 0.2)
        // Constant current: 100 Wh at 400 W is 15 minutes.
        #expect(abs(curve.seconds(capacity: 262, from: 50, to: 150) - 900) < 1e-6)
        // The taper is slower than constant power would be.
        let taper = curve.seconds(capacity: 262, from: 0.8 * 262, to: 262)
        #expect(taper > 0.2 * 262 / 400 * 3600)
        // Charging for the computed time reaches the target.
        for (from, to) in [(20.0, 100.0), (100.0, 240.0), (220.0, 260.0), (10.0, 262.0)] {
            let t = curve.seconds(capacity: 262, from: from, to: to)
            #expect(abs(curve.charge(capacity: 262, from: from, after: t) - to) < 1e-6)
        }
    }

    func fleetError(_ edit: (String) -> String) throws -> LoadError? {
        let dir = TestKit.temporaryDirectory()
        let text = try String(contentsOf: Self.fleetFile, encoding: .utf8)
            .replacingOccurrences(of: "site: site.yaml", with: "site: \(TestKit.file("geo/mumianling/site.yaml").path)")
        let url = try TestKit.write(edit(text), to: "fleet.yaml", in: dir)
        do {
            _ = try Fleet.load(from: url)
            return nil
        } catch { return error }
    }

    @Test(arguments: [
        ("battery_wh: 262                 #", "battery_wh: -3 #", "drones[0].battery_wh", "out of range"),
        ("payload: [visual, thermal]", "payload: [visual, xray]", "drones[0].payload[1]", "unknown value `xray`"),
        ("  - id: hive-1 ", "  - id: hive-9 ", "hives[0]", "no hive `hive-9`"),
        (
            "  - id: drone-2\n    hive: hive-1", "  - id: drone-2\n    hive: hive-2", "drones[1].hive",
            "no hive `hive-2`"
        ),
        ("capacity: 2", "capacity: 1", "drones[1].hive", "holds only 1"),
        ("state: ready", "state: sleepy", "hives[0].state", "unknown value"),
        ("time_zone: Asia/Shanghai", "time_zone: Mars/Olympus", "time_zone", "unknown time zone"),
        ("    voice: true", "    voice: true\n    wheels: 6", "robots[0].wheels", "unknown field"),
        ("station: station-1", "station: station-7", "robots[0].station", "no robot station"),
    ])
    func badFleetFilesNameFileLineAndField(find: String, replace: String, field: String, message: String) throws {
        let error = try #require(try fleetError { $0.replacingOccurrences(of: find, with: replace) })
        #expect(error.file.hasSuffix("fleet.yaml"))
        #expect(error.line != nil)
        #expect(error.field == field, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    func scheduleError(_ block: String) throws -> LoadError? {
        let dir = TestKit.temporaryDirectory()
        var text = try String(contentsOf: TestKit.defaultMission, encoding: .utf8)
            .replacingOccurrences(
                of: "../geo/mumianling/site.yaml", with: TestKit.file("geo/mumianling/site.yaml").path)
        text = String(text[..<text.range(of: "schedule:")!.lowerBound]) + block
        let url = try TestKit.write(text, to: "mission.yaml", in: dir)
        do {
            _ = try Mission.load(from: url)
            return nil
        } catch { return error }
    }

    @Test(arguments: [
        ("schedule:\n  every_h: 2\n  from: \"06:00\"\n  to: \"25:00\"\n", "schedule.to", "HH:MM"),
        ("schedule:\n  every_h: 2\n  from: \"08:00\"\n  to: \"06:00\"\n", "schedule.to", "before"),
        ("schedule:\n  times: [\"06:00\", \"06:00\"]\n", "schedule.times[1]", "twice"),
        ("schedule:\n  every_h: 2\n  times: [\"06:00\"]\n", "schedule.times", "not both"),
        ("schedule:\n  priority: 3\n", "schedule", "missing `every_h`"),
        ("schedule:\n  times: [\"06:00\"]\n  priority: 11\n", "schedule.priority", "out of range"),
        ("schedule:\n  times: [\"06:00\"]\n  payload: [sonar]\n", "schedule.payload[0]", "unknown value"),
        (
            "schedule:\n  times: [\"06:00\"]\n  weather: { max_gust_mps: 3 }\n", "schedule.weather.max_gust_mps",
            "unknown field"
        ),
    ])
    func badScheduleBlocksNameTheField(block: String, field: String, message: String) throws {
        let error = try #require(try scheduleError(block))
        #expect(error.line != nil)
        #expect(error.field == field, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func listedTimesLoad() throws {
        #expect(try scheduleError("schedule:\n  times: [\"23:00\", \"01:30\"]\n  window_min: 10\n") == nil)
    }
}
