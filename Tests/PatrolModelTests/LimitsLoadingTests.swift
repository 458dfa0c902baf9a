import Foundation
import PatrolModel
import PatrolTestKit
import Testing

/// A mission's `limits:` block.
struct LimitsLoadingTests {
    func load(_ limits: String) throws -> LoadedMission {
        let text = try String(contentsOf: TestKit.defaultMission, encoding: .utf8)
            .replacingOccurrences(
                of: "../geo/mumianling/site.yaml", with: TestKit.file("geo/mumianling/site.yaml").path)
        return try Mission.load(from: try TestKit.write(text + limits, to: "m.yaml", in: TestKit.temporaryDirectory()))
    }

    @Test func defaultsWhenAbsent() throws {
        let limits = try load("").mission.limits
        #expect(limits == FlightLimits())
        #expect(limits.maxAltitudeAGL == 120 && limits.usableEndurance == 20 * 60)
    }

    @Test func readsEveryField() throws {
        let limits = try load(
            "limits:\n  max_altitude_m: 200\n  geofence_margin_m: 5\n  endurance_min: 40\n  reserve: 0.25\n"
                + "  max_climb_mps: 4\n  max_descent_mps: 2\n  max_turn_deg: 100\n"
        ).mission.limits
        #expect(
            limits
                == FlightLimits(
                    maxAltitudeAGL: 200, geofenceMargin: 5, endurance: 2400, reserve: 0.25, maxClimbRate: 4,
                    maxDescentRate: 2,
                    maxTurn: 100))
    }

    @Test func unknownOrOutOfRangeFieldsAreRefusedWithTheirLine() throws {
        #expect(throws: LoadError.self) { try load("limits:\n  max_alt: 200\n") }
        do {
            _ = try load("limits:\n  reserve: 1.5\n")
            Issue.record("accepted a 150 % reserve")
        } catch let error as LoadError {
            #expect(error.field == "limits.reserve")
            // The block is appended to the default mission: `reserve:` is its second line.
            let missionLines = try String(contentsOf: TestKit.defaultMission, encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(error.line == missionLines + 1)
        }
    }
}
