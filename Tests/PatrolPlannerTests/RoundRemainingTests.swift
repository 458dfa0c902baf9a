import PatrolModel
import PatrolPlanner
import Testing

/// The rest of a round from where its telemetry puts it (``RobotRoundTask/remaining(for:afterMetres:)``),
/// by hand on ``RobotSchedulerTests``' round: 600 m out, the 120 m narrow corridor, 600 m back, at 1 m/s.
struct RoundRemainingTests {
    typealias T = RobotSchedulerTests

    @Test func theRestOfARoundHoldsTheCorridorFromWhereTheRobotIs() {
        let robot = T.robot("robot-a")
        let round = T.round("basement", before: 600, priority: 6)
        // At the station: the whole round, as planned.
        let whole = round.remaining(for: robot, afterMetres: 0)
        #expect(whole.duration == round.timing(for: robot).duration)
        #expect(whole.narrow == round.timing(for: robot).narrow)
        // 500 m out: the corridor 100 s from now, for 120 s; docked 820 s from now.
        let out = round.remaining(for: robot, afterMetres: 500)
        #expect(out.duration == 820)
        #expect(out.narrow == [EdgeUse(edge: "corridor", from: 100, to: 220)])
        // 30 m into the corridor: in it now, for its other 90 m.
        let inside = round.remaining(for: robot, afterMetres: 630)
        #expect(inside.narrow == [EdgeUse(edge: "corridor", from: 0, to: 90)])
        #expect(inside.duration == 690)
        // At its end: out of it, on the way back.
        let past = round.remaining(for: robot, afterMetres: 720)
        #expect(past.narrow.isEmpty && past.duration == 600)
    }
}
