import Foundation
import PatrolAlerts
import PatrolGeo
import PatrolModel
import Testing

struct AlertFiguresTests {
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    /// An alert of `kind` opened at `t0 + start` minutes, with later changes at the given minutes.
    func history(_ id: String, _ kind: DetectionClass, party: String?, start: Double, _ steps: [(AlertState, Double)])
        -> AlertHistory
    {
        let alert = Alert(
            id: id, kind: kind, state: steps.last?.0 ?? .new, position: LonLat(lon: 114.13, lat: 22.57),
            positionError: 5,
            firstSeen: t0 + start * 60, lastSeen: t0 + start * 60, observations: 1, confidence: 0.9, source: "cam",
            flightID: nil)
        var transitions = [
            AlertTransition(alertID: id, from: nil, to: .new, at: t0 + start * 60, actor: "fusion", reason: "")
        ]
        for (state, minute) in steps {
            transitions.append(
                AlertTransition(
                    alertID: id, from: transitions.last?.to, to: state, at: t0 + minute * 60, actor: "p", reason: ""))
        }
        return AlertHistory(alert: alert, transitions: transitions, responsible: party)
    }

    @Test func mediansPerClassAndPerParty() {
        let figures = AlertFigures([
            history(
                "a1", .garbage, party: "sanitation", start: 0, [(.dispatched, 0), (.acknowledged, 2), (.resolved, 6)]),
            history(
                "a2", .garbage, party: "sanitation", start: 10,
                [(.dispatched, 10), (.acknowledged, 14), (.resolved, 20)]),
            history("a3", .garbage, party: "greening", start: 0, [(.dispatched, 0)]),
            history("a4", .fire, party: "emergency", start: 0, [(.resolved, 3)]),
        ])
        let garbage = figures.byClass.first { $0.key == "garbage" }
        #expect(garbage?.alerts == 3 && garbage?.acknowledged == 2 && garbage?.closed == 2)
        #expect(garbage?.medianToAcknowledge == 180 && garbage?.medianToClose == 480)
        #expect(figures.byParty.map(\.key) == ["emergency", "greening", "sanitation"])
        #expect(figures.byParty[1].medianToAcknowledge == nil && figures.byParty[1].closed == 0)
        // Resolving without acknowledging first still counts as taken on.
        #expect(figures.byParty[0].medianToAcknowledge == 180 && figures.byParty[0].medianToClose == 180)
    }

    @Test func noAlertsNoRows() {
        #expect(AlertFigures([]).byClass.isEmpty)
    }
}

extension AlertFiguresTests {
    @Test func aFalseAlarmFromAVerificationClosesButIsNotAnAcknowledgement() {
        var refuted = history("a1", .smoke, party: "emergency", start: 0, [(.dispatched, 0)])
        refuted.transitions.append(
            AlertTransition(
                alertID: "a1", from: .dispatched, to: .falseAlarm, at: t0 + 4 * 60, actor: "verification", reason: ""))
        let figures = AlertFigures([refuted, history("a2", .smoke, party: "emergency", start: 0, [(.acknowledged, 2)])])
        let smoke = figures.byClass.first { $0.key == "smoke" }
        #expect(smoke?.acknowledged == 1)
        #expect(smoke?.medianToAcknowledge == 120)
        #expect(smoke?.closed == 1)
        #expect(smoke?.medianToClose == 240)
    }
}
