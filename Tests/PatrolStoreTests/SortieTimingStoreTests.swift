import Foundation
import PatrolStore
import PatrolTestKit
import Testing

/// A kept sortie's due time and a round's move (`v14-round-moves`, columns of the queue row).
struct SortieTimingStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_795_615_200)

    @Test func theDueTimeAndAMoveAreKeptWithTheQueueRowAndSurviveItsRewrite() throws {
        let path = TestKit.temporaryDirectory().appendingPathComponent("patrol.sqlite").path
        let store = try PatrolStore(path: path)
        let request = Data(#"{"mission":"basement-round"}"#.utf8)
        try store.saveSortieRequest(id: "r1", request: request, state: "queued", at: t0)
        // A row kept before: no due time, no move.
        #expect(try store.sortieTiming(id: "r1") == KeptSortieTiming())
        #expect(try store.sortieTiming(id: "none") == nil)
        try store.saveSortieDue(id: "r1", due: t0)
        let launch = t0.addingTimeInterval(1980)
        try store.saveSortieMove(
            id: "r1", launch: launch, vehicle: "robot-2", reason: "moved", holdUntil: launch.addingTimeInterval(1200),
            movedOff: (vehicle: "robot-1", launch: t0))
        // The request rewritten (a state change, a re-plan) keeps them.
        try store.saveSortieRequest(id: "r1", request: request, state: "queued", at: t0.addingTimeInterval(60))
        let expected = KeptSortieTiming(
            due: t0, launch: launch, vehicle: "robot-2", reason: "moved", holdUntil: launch.addingTimeInterval(1200),
            movedOffVehicle: "robot-1", movedOffLaunch: t0)
        #expect(try store.sortieTiming(id: "r1") == expected)
        // And a store opened again on the file reads them.
        #expect(try PatrolStore(path: path).sortieTiming(id: "r1") == expected)
    }
}
