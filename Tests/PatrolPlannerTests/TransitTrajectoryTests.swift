import PatrolGeo
import PatrolModel
import Testing

@testable import PatrolPlanner

/// An urgent transit judged in time against another drone's trajectory: where that drone is at
/// each instant of the transit, give or take the timing margin, not its sortie's whole extent.
struct TransitTrajectoryTests {
    /// A drone flying east along y = 0 at 10 m/s and 60 m, from x = 0 at t = 0 to x = 1000.
    static let eastward = Trajectory.flying(
        from: XY(0, 0), altitude: 60, at: 0, through: [PathPoint(XY(1000, 0), altitude: 60)], speed: 10,
        verticalSpeed: 3)
    static let exact = TimingMargin(base: 0, growth: 0)

    @Test func aTrajectoryIsWhereItsLegsPutItAtEachInstant() {
        let t = Trajectory.flying(
            from: XY(0, 0), altitude: 0, at: 100,
            through: [PathPoint(XY(0, 0), altitude: 60), PathPoint(XY(120, 0), altitude: 60)], speeds: [0, 12],
            speed: 8, verticalSpeed: 3)
        // Up 60 m at 3 m/s (20 s), then 120 m at 8 m/s (its own 12 capped by the drone's 8): 15 s.
        #expect(t.start == 100 && t.end == 135)
        #expect(t.at(110).xy == XY(0, 0) && t.at(110).altitude == 30)
        #expect(t.at(127.5).xy == XY(60, 0))
        #expect(t.at(0).xy == XY(0, 0) && t.at(500).xy == XY(120, 0))
        let part = t.part(from: 110, to: 127.5)
        #expect(part.map(\.time) == [110, 120, 127.5])
        #expect(t.part(from: 200, to: 300).isEmpty)
    }

    @Test func aTransitCrossingTheOtherDronesPathConflictsOnlyWhenItIsThereThen() {
        // A transit north across x = 500 from y = -300 to 300 (look there 0 s), out in 60 s, from t = 20.
        func crossing(at start: Double) -> Transit {
            Transit(
                from: XY(500, -300), to: XY(500, 300), start: start, end: start + 120, lowest: 50, highest: 70,
                overhead: start + 60, lookEnd: start + 60)
        }
        // The eastward drone is at x = 500 at t = 50; the transit crosses y = 0 at t = start + 30.
        #expect(
            crossing(at: 20).conflict(with: Self.eastward, now: 0, age: 0, buffer: 30, vertical: 30, margin: Self.exact)
                != nil)
        // 30 s later, the drone is 300 m on: clear, unless its timing may be 30 s off.
        let later = crossing(at: 50)
        #expect(
            later.conflict(with: Self.eastward, now: 0, age: 0, buffer: 30, vertical: 30, margin: Self.exact) == nil)
        let loose = TimingMargin(base: 30, growth: 0)
        #expect(later.conflict(with: Self.eastward, now: 0, age: 0, buffer: 30, vertical: 30, margin: loose) != nil)
        // The age of the telemetry widens the margin the same way.
        #expect(
            later.conflict(with: Self.eastward, now: 0, age: 30, buffer: 30, vertical: 30, margin: Self.exact) != nil)
        // On its way back (from t = start + 60) it crosses y = 0 again at start + 90: at t = 50 for start = -40.
        #expect(
            crossing(at: -40).conflict(
                with: Self.eastward, now: 0, age: 0, buffer: 30, vertical: 30, margin: Self.exact) != nil)
        // 30 m above the other drone: separated, and the conflict says how high the other flies.
        let above = Transit(
            from: XY(500, -300), to: XY(500, 300), start: 20, end: 140, lowest: 90, highest: 100, overhead: 80,
            lookEnd: 80)
        #expect(
            above.conflict(with: Self.eastward, now: 0, age: 0, buffer: 30, vertical: 30, margin: Self.exact) == nil)
        let conflict = crossing(at: 20).conflict(
            with: Self.eastward, now: 0, age: 0, buffer: 30, vertical: 30, margin: Self.exact)
        #expect(conflict?.highest == 60)
    }

    @Test func aLookNearTheFarEndOfTheOtherDronesPathIsClearUntilItGetsThere() {
        // Looking 100 m off the end of the eastward path (x = 1000 at t = 100) from t = 0 to 60.
        let look = Transit(
            from: XY(1000, -200), to: XY(1000, 100), start: 0, end: 60, lowest: 60, highest: 60, overhead: 0,
            lookEnd: 60)
        let margin = TimingMargin(base: 15, growth: 0.15)
        #expect(look.conflict(with: Self.eastward, now: 0, age: 0, buffer: 30, vertical: 30, margin: margin) == nil)
        // By the whole-extent rule it conflicts.
        let extent = Sortie(
            patrol: "p", due: 0, drone: "d", hive: "h", start: 0, end: 100,
            profile: SortieProfile(
                length: 1000, duration: 100, energyWh: 0, bounds: Bounds(min: XY(0, 0), max: XY(1000, 0)), lowest: 60,
                highest: 60), priority: 0)
        #expect(look.conflicts(with: extent, buffer: 30, vertical: 30))
        // Without its timing, a transit counts at every point of its segment throughout: one
        // looking 100 m north of the path's middle conflicts with it untimed, not timed.
        let untimed = Transit(from: XY(500, -200), to: XY(500, 100), start: 0, end: 60, lowest: 60, highest: 60)
        #expect(untimed.conflict(with: Self.eastward, now: 0, age: 0, buffer: 30, vertical: 30, margin: margin) != nil)
        var timed = untimed
        (timed.overhead, timed.lookEnd) = (0, 60)
        #expect(timed.conflict(with: Self.eastward, now: 0, age: 0, buffer: 30, vertical: 30, margin: margin) == nil)
    }

    @Test func aDockedTransitWaitsOverItsHiveUntilItsDeparture() throws {
        let docked = Transit(
            from: XY(0, 0), to: XY(600, 0), start: 0, end: 200, lowest: 60, highest: 60, overhead: 100, lookEnd: 150,
            departure: 50)
        let trajectory = try #require(docked.trajectory)
        #expect(trajectory.at(40).xy == XY(0, 0))
        #expect(trajectory.at(75).xy == XY(300, 0))
        #expect(trajectory.at(120).xy == XY(600, 0))
        #expect(trajectory.at(175).xy == XY(300, 0))
    }
}
