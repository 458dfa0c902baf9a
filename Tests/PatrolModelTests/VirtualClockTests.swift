import Foundation
import PatrolModel
import Testing

struct VirtualClockTests {
    let t0 = Date(timeIntervalSince1970: 1_764_036_000)

    @Test(.timeLimit(.minutes(1)))
    func sleepersWakeWhenTheClockReachesTheirDeadline() async throws {
        let clock = VirtualClock(start: t0)
        let early = Task { try await clock.sleep(until: t0 + 60) }
        let late = Task { try await clock.sleep(until: t0 + 600) }
        while clock.sleeperCount < 2 { try await Task.sleep(for: .milliseconds(1)) }
        clock.advance(by: 59)
        #expect(clock.sleeperCount == 2)
        clock.advance(by: 1)
        try await early.value
        #expect(clock.sleeperCount == 1)
        clock.advance(to: t0 + 3600)
        try await late.value
        #expect(clock.sleeperCount == 0)
        try await clock.sleep(until: t0)  // already past: returns at once
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellingASleeperWakesItWithCancellationError() async throws {
        let clock = VirtualClock(start: t0)
        let sleeper = Task { try await clock.sleep(until: t0 + 60) }
        while clock.sleeperCount < 1 { try await Task.sleep(for: .milliseconds(1)) }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }
}
