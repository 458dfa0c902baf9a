import PatrolGeo
import PatrolModel
import Testing

@testable import PatrolPlanner

/// The separation of a straight transit (an urgent sortie's way to its target) from sorties and
/// other transits, by the scheduler's rule with the segment in place of a box.
struct TransitTests {
    static func sortie(_ bounds: Bounds, lowest: Double, highest: Double, from start: Double = 0, to end: Double = 600)
        -> Sortie
    {
        Sortie(
            patrol: "p", due: start, drone: "d", hive: "h", start: start, end: end,
            profile: SortieProfile(
                length: 0, duration: end - start, energyWh: 0, bounds: bounds, lowest: lowest, highest: highest),
            priority: 0)
    }

    static let box = Bounds(min: XY(100, 100), max: XY(200, 200))

    @Test func aSegmentThroughABoxIsAtNoDistanceFromItEvenWithBothEndsOutside() {
        #expect(Transit.distance(from: XY(0, 150), to: XY(300, 150), box: Self.box) == 0)
        #expect(Transit.distance(from: XY(150, 150), to: XY(150, 150), box: Self.box) == 0)
        // Passing 50 m below the box, and diagonally 30 m off its corner.
        #expect(abs(Transit.distance(from: XY(0, 50), to: XY(300, 50), box: Self.box) - 50) < 1e-9)
        let diagonal = Transit.distance(from: XY(200 + 60, 100), to: XY(200, 100 - 60), box: Self.box)
        #expect(abs(diagonal - 60 / 2.squareRoot()) < 1e-9)
    }

    @Test func aTransitConflictsOnlyWhenItsTimeExtentAndHeightAllMeetTheSortie() {
        let level = Transit(from: XY(0, 150), to: XY(300, 150), start: 100, end: 400, lowest: 60, highest: 60)
        #expect(level.conflicts(with: Self.sortie(Self.box, lowest: 50, highest: 80), buffer: 30, vertical: 30))
        // 30 m above the sortie's top, or below its bottom: separated.
        #expect(!level.conflicts(with: Self.sortie(Self.box, lowest: 90, highest: 120), buffer: 30, vertical: 30))
        #expect(!level.conflicts(with: Self.sortie(Self.box, lowest: 0, highest: 30), buffer: 30, vertical: 30))
        // Before the transit starts, or after it ends.
        #expect(
            !level.conflicts(
                with: Self.sortie(Self.box, lowest: 50, highest: 80, from: 0, to: 100), buffer: 30, vertical: 30))
        #expect(
            !level.conflicts(
                with: Self.sortie(Self.box, lowest: 50, highest: 80, from: 400, to: 900), buffer: 30, vertical: 30))
        // Wide of it: 59 m between the segment and the box is within the two 30 m buffers; 61 m is not.
        let near = Transit(from: XY(0, 41), to: XY(300, 41), start: 100, end: 400, lowest: 60, highest: 60)
        let far = Transit(from: XY(0, 39), to: XY(300, 39), start: 100, end: 400, lowest: 60, highest: 60)
        #expect(near.conflicts(with: Self.sortie(Self.box, lowest: 50, highest: 80), buffer: 30, vertical: 30))
        #expect(!far.conflicts(with: Self.sortie(Self.box, lowest: 50, highest: 80), buffer: 30, vertical: 30))
        // A diagonal whose box would touch the sortie's but whose line passes well clear.
        let diagonal = Transit(from: XY(0, 400), to: XY(400, 0), start: 100, end: 400, lowest: 60, highest: 60)
        let corner = Bounds(min: XY(0, 0), max: XY(50, 50))
        #expect(!diagonal.conflicts(with: Self.sortie(corner, lowest: 50, highest: 80), buffer: 30, vertical: 30))
    }

    @Test func crossingTransitsConflictAndParallelOnesApartDoNot() {
        let a = Transit(from: XY(0, 0), to: XY(100, 100), start: 0, end: 100, lowest: 60, highest: 60)
        let b = Transit(from: XY(0, 100), to: XY(100, 0), start: 50, end: 150, lowest: 70, highest: 70)
        #expect(a.conflicts(with: b, buffer: 30, vertical: 30))
        let apart = Transit(from: XY(100, 0), to: XY(200, 100), start: 0, end: 100, lowest: 60, highest: 60)
        #expect(!a.conflicts(with: apart, buffer: 30, vertical: 30))
        let above = Transit(from: XY(0, 100), to: XY(100, 0), start: 50, end: 150, lowest: 90, highest: 90)
        #expect(!a.conflicts(with: above, buffer: 30, vertical: 30))
    }
}
