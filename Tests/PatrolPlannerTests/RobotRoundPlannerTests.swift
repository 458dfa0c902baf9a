import Foundation
import PatrolGeo
import PatrolModel
import PatrolTestKit
import Testing

@testable import PatrolPlanner

struct RobotRoundPlannerTests {
    let loaded: LoadedMission

    init() throws {
        loaded = try Mission.load(from: TestKit.file("missions/basement-round.yaml"))
    }

    /// The closed tour's travel time.
    func cost(_ tour: [Int], _ matrix: [[Double]]) -> Double {
        zip(tour, tour.dropFirst() + [tour[0]]).reduce(0) { $0 + matrix[$1.0][$1.1] }
    }

    @Test func theSiteHasAPathGraphWithDoorsAndALift() {
        #expect(loaded.site.paths.count >= 30)
        #expect(loaded.site.paths.contains { $0.kind == .lift && $0.fromLevel == 0 && $0.toLevel == -1 })
        #expect(loaded.site.paths.contains { $0.kind == .door && $0.cost > 0 })
        #expect(loaded.site.pathNodes.contains("station-1"))
    }

    @Test func theRoundVisitsEveryCheckpointOnceAndComesHome() throws {
        let plan = try RoutePlanner.plan(loaded.mission, site: loaded.site)
        #expect(plan.findings.isEmpty)
        let w = plan.route.waypoints
        #expect(w.first?.kind == .takeoff && w.last?.kind == .land && w.first?.position == w.last?.position)
        guard case .robotRound(let spec) = loaded.mission.kind else { return }
        #expect(w.filter { $0.kind == .survey }.count == spec.checkpoints.count)
        #expect(plan.notes[0].hasPrefix("order: station-1 → ") && plan.notes[0].hasSuffix(" → station-1"))
        for checkpoint in spec.checkpoints { #expect(plan.notes[0].contains(" \(checkpoint) ")) }
        // The basement is reached by the lift and left by the ramp: -4 m there, 0 m on the ground.
        #expect(w.contains { $0.altitude == -4 } && w.allSatisfy { $0.altitude == 0 || $0.altitude == -4 })
        #expect(plan.route.estimatedDuration > plan.route.length / loaded.mission.speed)
    }

    @Test func twoOptFindsTheBestOrderOnTheExample() throws {
        let frame = try SiteFrame(crs: loaded.site.crs)
        let graph = try PathGraph(site: loaded.site, frame: frame, speed: 1.2)
        guard case .robotRound(let spec) = loaded.mission.kind else { return }
        let stops = ([spec.station] + spec.checkpoints).map { graph.index[$0]! }
        let matrix = stops.map { s in stops.map { graph.shortestPaths(from: s).cost[$0] } }
        let nn = RobotRoundPlanner.nearestNeighbour(matrix)
        let best = RobotRoundPlanner.twoOpt(nn, matrix)
        #expect(Set(best) == Set(stops.indices) && best[0] == 0)
        #expect(cost(best, matrix) <= cost(nn, matrix))
        // Brute force over every order of the six checkpoints.
        func permutations(_ items: [Int]) -> [[Int]] {
            items.count <= 1
                ? [items]
                : items.indices.flatMap { i in
                    permutations(Array(items[..<i] + items[(i + 1)...])).map { [items[i]] + $0 }
                }
        }
        let optimum = permutations(Array(1..<stops.count)).map { cost([0] + $0, matrix) }.min()!
        #expect(abs(cost(best, matrix) - optimum) < 1e-6)
    }

    @Test func dijkstraTakesTheRampWhenTheLiftIsSlow() throws {
        var site = loaded.site
        let frame = try SiteFrame(crs: site.crs)
        let lift = site.paths.firstIndex { $0.kind == .lift }!
        let fast = try PathGraph(site: site, frame: frame, speed: 1.2)
        site.paths[lift].cost = 3600
        let slow = try PathGraph(site: site, frame: frame, speed: 1.2)
        let from = fast.index["station-1"]!
        let to = fast.index["b1-pump-room"]!
        let quick = fast.walk(to: to, via: fast.shortestPaths(from: from).via).edges.map { fast.edges[$0].kind }
        let around = slow.walk(to: to, via: slow.shortestPaths(from: from).via).edges.map { slow.edges[$0].kind }
        #expect(quick.contains(.lift) && !quick.contains(.ramp))
        #expect(around.contains(.ramp) && !around.contains(.lift))
    }

    @Test func unknownCheckpointsAndStrayFieldsAreRefused() throws {
        let text = try String(contentsOf: TestKit.file("missions/basement-round.yaml"), encoding: .utf8)
            .replacingOccurrences(
                of: "../geo/mumianling/site.yaml", with: TestKit.file("geo/mumianling/site.yaml").path)
        func load(_ edit: (String) -> String) throws {
            _ = try Mission.load(from: try TestKit.write(edit(text), to: "m.yaml", in: TestKit.temporaryDirectory()))
        }
        #expect { try load { $0.replacingOccurrences(of: "- gate-north", with: "- roof-garden") } } throws: {
            ($0 as? LoadError)?.field == "robot_round.checkpoints[5]"
        }
        #expect { try load { $0 + "hive: hive-1\n" } } throws: { ($0 as? LoadError)?.field == "hive" }
        #expect { try load { $0.replacingOccurrences(of: "station: station-1", with: "station: hive-1") } } throws: {
            ($0 as? LoadError)?.field == "robot_round.station"
        }
    }

    @Test func otherStationsAreReadAndUnknownOnesRefusedWithTheirField() throws {
        let text = try String(contentsOf: TestKit.file("missions/basement-round.yaml"), encoding: .utf8)
            .replacingOccurrences(
                of: "../geo/mumianling/site.yaml", with: TestKit.file("geo/mumianling/site.yaml").path)
        func load(_ edit: (String) -> String) throws -> Mission {
            try Mission.load(from: try TestKit.write(edit(text), to: "m.yaml", in: TestKit.temporaryDirectory()))
                .mission
        }
        let plain = try load { $0 }
        guard case .robotRound(let spec) = plain.kind else {
            Issue.record("not a round")
            return
        }
        #expect(spec.otherStations.isEmpty)
        let other = "  other_stations: [station-9]\n  checkpoints:"
        #expect { _ = try load { $0.replacingOccurrences(of: "  checkpoints:", with: other) } } throws: {
            let error = $0 as? LoadError
            return error?.field == "robot_round.other_stations[0]"
                && error?.message.contains("not a robot station on the site's path graph; it has: station-1") == true
        }
        let twice = "  other_stations: [station-1]\n  checkpoints:"
        #expect { _ = try load { $0.replacingOccurrences(of: "  checkpoints:", with: twice) } } throws: {
            ($0 as? LoadError)?.field == "robot_round.other_stations[0]"
        }
        // Kept requests written before the field existed decode with none.
        let json = try JSONEncoder().encode(spec)
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["otherStations"] = nil
        let old = try JSONDecoder().decode(
            RobotRoundSpec.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(old == spec)
    }

    @Test func aRoundLongerThanTheBatteryIsAFinding() throws {
        var mission = loaded.mission
        mission.limits.endurance = 20 * 60
        #expect {
            _ = try RoutePlanner.plan(mission, site: loaded.site)
        } throws: { ($0 as? PlanError)?.findings.map(\.rule) == [.endurance] }
    }
}
