import Foundation
import PatrolAlerts
import PatrolGeo
import PatrolModel
import Testing

struct AlertLifecycleTests {
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    func alert(_ state: AlertState) -> Alert {
        Alert(
            id: "alert-1", kind: .garbage, state: state, position: LonLat(lon: 114.13, lat: 22.57), positionError: 5,
            firstSeen: t0,
            lastSeen: t0, observations: 1, confidence: 0.9, source: "cam-17", flightID: nil)
    }

    @Test func aFullLifeIsRecordedWithWhoWhenAndWhy() throws {
        var current = alert(.new)
        var transitions: [AlertTransition] = []
        let steps: [(AlertAction, String)] = [
            (.dispatch, "coordinator"), (.acknowledge, "luohu-sanitation"), (.start, "luohu-sanitation"),
            (.resolve, "luohu-sanitation"), (.close, "mumianling-office"), (.reopen, "cam-17"),
            (.falseAlarm, "operator-li"),
        ]
        for (i, (action, who)) in steps.enumerated() {
            let result = try AlertLifecycle.apply(
                action, to: current, by: who, at: t0.addingTimeInterval(Double(i) * 60), reason: "step \(i)")
            current = result.alert
            transitions.append(result.transition)
        }
        #expect(current.state == .falseAlarm)
        #expect(
            transitions.map(\.to) == [
                .dispatched, .acknowledged, .inProgress, .resolved, .closed, .reopened, .falseAlarm,
            ])
        #expect(
            transitions[1]
                == AlertTransition(
                    alertID: "alert-1", from: .dispatched, to: .acknowledged, at: t0.addingTimeInterval(60),
                    actor: "luohu-sanitation", reason: "step 1"))
    }

    @Test(arguments: [
        (AlertState.closed, AlertAction.acknowledge), (.new, .close), (.resolved, .resolve),
        (.acknowledged, .acknowledge),
        (.closed, .falseAlarm), (.inProgress, .dispatch), (.new, .reopen), (.falseAlarm, .start),
    ])
    func impossibleTransitionsAreRefused(state: AlertState, action: AlertAction) {
        #expect {
            _ = try AlertLifecycle.apply(action, to: alert(state), by: "operator", at: t0)
        } throws: { error in
            guard let error = error as? LifecycleError else { return false }
            return error.code == .impossible && error.description.contains("alert-1: cannot")
                && error.description.contains(state.rawValue)
        }
    }

    @Test func theRefusalSaysWhatIsPossible() {
        do {
            _ = try AlertLifecycle.apply(.acknowledge, to: alert(.closed), by: "operator", at: t0)
            Issue.record("acknowledging a closed alert was accepted")
        } catch {
            #expect(error.description == "alert-1: cannot acknowledge an alert that is closed; possible: reopen")
        }
    }

    @Test func anActionNeedsSomeone() {
        #expect(throws: LifecycleError.self) {
            _ = try AlertLifecycle.apply(.acknowledge, to: alert(.new), by: "  ", at: t0)
        }
    }

    @Test func everyStateHasAWayOn() {
        for state in AlertState.allCases {
            #expect(!AlertLifecycle.actions(from: state).isEmpty, "\(state) is a dead end")
        }
        #expect(AlertLifecycle.unhandled.isDisjoint(with: AlertLifecycle.finished))
    }
}
