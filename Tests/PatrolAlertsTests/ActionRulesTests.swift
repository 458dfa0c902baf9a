import Foundation
import PatrolAlerts
import PatrolGeo
import PatrolModel
import Testing

struct ActionRulesTests {
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)
    static let parties: Set<String> = ["luohu-fire", "mml-emergency"]

    func rules() throws -> ActionRules {
        let text = try String(
            contentsOf: EscalationPolicyTests.site.appendingPathComponent("actions.yaml"), encoding: .utf8)
        return try ActionRules(yaml: text, file: "actions.yaml", parties: Self.parties)
    }

    func alert(_ kind: DetectionClass) -> Alert {
        Alert(
            id: "alert-1", kind: kind, state: .new, position: LonLat(lon: 114.131216, lat: 22.571354), positionError: 5,
            firstSeen: t0, lastSeen: t0, observations: 2, confidence: 0.9, source: "gw-t7/smoke-9", flightID: nil)
    }

    @Test func theSiteRulesAskForVerificationThenOverwatchRobotsAndTheFireStation() throws {
        let rules = try rules()
        let opened = rules.actions(
            .opened, alert: alert(.smoke), placement: Placement(tower: "T07"), robots: ["robot-1"], contacts: [:])
        #expect(opened.map(\.kind) == [.requestVerification])
        #expect(opened[0].reason.contains("smoke opened in tower T07"))
        let confirmed = rules.actions(
            .confirmed, alert: alert(.fire), placement: Placement(tower: "T07"), robots: ["robot-2", "robot-1"],
            contacts: ["luohu-fire": "tel:119"])
        #expect(
            confirmed.map { "\($0.kind.rawValue) \($0.target)" } == [
                "keep_overwatch scheduler", "clear_evacuation_routes robot-1", "clear_evacuation_routes robot-2",
                "notify luohu-fire",
            ])
        #expect(confirmed[1].detail == "Fire in T07. Leaving the evacuation routes clear.")
        #expect(confirmed[3].detail == "tel:119")
        #expect(
            rules.actions(.opened, alert: alert(.garbage), placement: .site, robots: [], contacts: [:]).isEmpty)
    }

    @Test func aBadRuleNamesFileLineAndField() {
        let text = """
            rules:
              - on: confirmed
                do: notify
                party: nobody
            """
        #expect {
            _ = try ActionRules(yaml: text, file: "actions.yaml", parties: Self.parties)
        } throws: { "\($0)".contains("actions.yaml:4") && "\($0)".contains("no party `nobody`") }
        #expect(throws: LoadError.self) {
            _ = try ActionRules(yaml: "rules:\n  - on: later\n    do: notify\n", file: "a.yaml", parties: Self.parties)
        }
    }

    @Test func aVerificationThatFindsNothingLowersTheIncidentsCertainty() {
        var fusion = AlertFusion()
        let here = LonLat(lon: 114.13, lat: 22.57)
        _ = fusion.fold(
            Detection(id: "c", time: t0, kind: .garbage, confidence: 0.6, position: here, positionError: 3),
            source: "cam-3", flightID: nil)
        let refuted = fusion.refute(
            Detection(
                id: "v", time: t0 + 60, kind: .garbage, confidence: 0.5, position: here, positionError: 3,
                verified: false), source: "drone-2")
        #expect(refuted.map { abs($0.confidence - 0.3) < 1e-9 } == true)
        #expect(refuted?.sources.keys.sorted() == ["cam-3"], "the verifier is no source")
        let far = fusion.refute(
            Detection(
                id: "w", time: t0, kind: .garbage, confidence: 0.5, position: LonLat(lon: 114.14, lat: 22.57),
                positionError: 3, verified: false), source: "drone-2")
        #expect(far == nil)
    }
}
