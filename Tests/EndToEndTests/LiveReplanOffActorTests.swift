import Foundation
import Logging
import PatrolCoordinator
import PatrolGeo
import PatrolModel
import PatrolPlanner
import PatrolStore
import PatrolTestKit
import Synchronization
import Testing

@testable import PatrolLink

/// The live re-plan solved off the coordinator's actor (`Coordinator+ReplanSolve.swift`), on real
/// sockets: a solve held back by the test does not hold back the frames, and its result is applied
/// only if the day has not changed meanwhile. No sleeps: the solve waits until the test releases it
/// after the frames were answered; a coordinator that solved on its actor would answer none (the
/// suite's time limit and each wait's 30 s are hang guards, never timings).
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LiveReplanOffActorTests {
    /// A solve that waits, on its own thread, until released (the first `held` solves only).
    final class Gate: @unchecked Sendable {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let calls = Mutex(0)
        let held: Int

        init(held: Int) { self.held = held }

        var solver: @Sendable (ReplanInput) -> DaySchedule {
            { input in
                let call = self.calls.withLock { n in
                    n += 1
                    return n
                }
                if call <= self.held {
                    self.entered.signal()
                    self.release.wait()
                }
                return input.solve()
            }
        }

        /// Waits (off the cooperative pool) until a held solve has started.
        func waitEntered() async throws -> Bool {
            try await TestKit.offPool { self.entered.wait(timeout: .now() + 30) == .success }
        }
    }

    typealias Rig = LiveReplanTests.Rig

    static func rig(gate: Gate) async throws -> Rig {
        let (fleet, positions, hill) = try LiveReplanTests.twoHives()
        let rig = try Rig(fleet: fleet, positions: positions, hill: hill, start: LiveReplanTests.at(11.5))
        await rig.configure()
        await rig.coordinator.configureReplanning(LiveReplanPolicy(applying: .whenReady, solver: gate.solver))
        for (id, kind, hive) in [
            ("hive-1", DeviceKind.hive, nil), ("hive-2", .hive, nil), ("drone-1", .drone, "hive-1"),
            ("drone-3", .drone, "hive-2"),
        ] {
            try await rig.connect(id, kind: kind, hive: hive)
        }
        _ = try await rig.applyDay(from: 11.5 * 3600)
        await rig.run(to: LiveReplanTests.at(11) + 50 * 60, alive: ["hive-1", "hive-2", "drone-1", "drone-3"])
        return rig
    }

    /// A hive reports wind over its limits (or its door stuck), then a heartbeat, and gets its echo.
    static func report(_ rig: Rig, hive id: String, wind: Double = 3, door: HiveStatus.Door = .closed) async throws {
        let hive = try #require(rig.clients[id])
        hive.send(
            .hiveStatus(
                HiveStatus(door: door, charging: true, windSpeed: wind, windFrom: 90, rain: 0, temperature: 20)),
            time: rig.clock.now())
        hive.send(.heartbeat, time: rig.clock.now())
        #expect(await SortieTests.next(hive) { $0 == .heartbeat } != nil)
    }

    /// The first `dayReplanned` event of the stream.
    static func firstReplan(_ coordinator: Coordinator) -> Task<DayReplan?, Never> {
        Task {
            for await event in coordinator.events { if case .dayReplanned(let r) = event { return r } }
            return nil
        }
    }

    @Test func framesAreHandledWhileASlowReplanIsSolved() async throws {
        let gate = Gate(held: 1)
        let rig = try await Self.rig(gate: gate)
        let replanned = Self.firstReplan(rig.coordinator)
        let before = await rig.coordinator.sorties()
        #expect(before.first?.vehicle == "drone-1")

        // Wind over hive-1's limits at 11:50: a re-plan starts, and its solve is held.
        try await Self.report(rig, hive: "hive-1", wind: 14)
        #expect(try await gate.waitEntered(), "the re-plan's solve never started")

        // Meanwhile the coordinator answers: a drone's heartbeat is echoed, an urgent request is
        // answered, the queue can be read; the day is not re-planned yet.
        let drone = try #require(rig.clients["drone-3"])
        drone.send(.heartbeat, time: rig.clock.now())
        #expect(await SortieTests.next(drone) { $0 == .heartbeat } != nil)
        let urgent = await rig.coordinator.request(
            SortieRequest(
                mission: rig.hill.mission, site: rig.hill.site, vehicle: "drone-3", priority: 10, origin: .urgent,
                target: rig.hill.site.hive("hive-1")?.position))
        #expect(await rig.coordinator.sortie(urgent.id) != nil)
        #expect(await rig.coordinator.replanCounts().isEmpty)
        #expect(await rig.coordinator.sortie(before[0].id)?.vehicle == "drone-1")

        // Released: applied when ready, on the actor.
        gate.release.signal()
        await rig.coordinator.settled()
        #expect(await rig.coordinator.replanCounts() == ["hive-weather": 1])
        let moved = try #require(await rig.coordinator.sortie(before[0].id))
        #expect(moved.vehicle == "drone-3" || moved.plannedLaunch > before[0].plannedLaunch, "\(moved.reason ?? "")")
        #expect(moved.reason?.hasPrefix("re-planned (hive-weather hive-1") == true, "\(moved.reason ?? "")")
        let event = try #require(await replanned.value)
        #expect(event.triggers == ["hive-weather hive-1"])
        // The wait from trigger to apply holds the solve (it waited for the release).
        #expect(event.solveMilliseconds > 0 && event.waitMilliseconds >= event.solveMilliseconds)
        #expect(await rig.coordinator.replanSolves() == (started: 1, discarded: 0))
        await rig.close()
    }

    @Test func aReplanSolvedWhileTheDayChangedIsDiscardedAndSolvedAgain() async throws {
        let gate = Gate(held: 1)
        let rig = try await Self.rig(gate: gate)
        let replanned = Self.firstReplan(rig.coordinator)
        try await Self.report(rig, hive: "hive-1", wind: 14)
        #expect(try await gate.waitEntered())
        // A second event while the first is being solved: hive-2's door is stuck.
        try await Self.report(rig, hive: "hive-2", door: .stuck)
        gate.release.signal()
        await rig.coordinator.settled()
        // The first result was discarded (the day changed); one re-plan with both events applied.
        #expect(await rig.coordinator.replanSolves() == (started: 2, discarded: 1))
        #expect(await rig.coordinator.replanCounts() == ["hive-weather": 1])
        let event = try #require(await replanned.value)
        #expect(event.triggers == ["hive-weather hive-1", "hive-offline hive-2"])
        // Both hives out: the 12:00 sortie waits for hive-1's weather hold (30 min from 11:50).
        let noon = try #require(await rig.coordinator.sorties().first)
        #expect(noon.vehicle == "drone-1" && noon.plannedLaunch >= LiveReplanTests.at(12) + 20 * 60)
        #expect(
            noon.reason?.hasPrefix("re-planned (hive-weather hive-1, hive-offline hive-2): drone-1 at 12:2") == true,
            "\(noon.reason ?? "")")
        await rig.close()
    }

    /// On a virtual clock a re-plan is applied at `settled()`, not when its thread is done; if the
    /// clock moves first, the next run of the queue solves it on the actor: the same day either way.
    @Test func onAVirtualClockAReplanIsAppliedWhenSettled() async throws {
        var queues: [[String]] = []
        for settles in [true, false] {
            let (fleet, positions, hill) = try LiveReplanTests.twoHives()
            let rig = try Rig(fleet: fleet, positions: positions, hill: hill, start: LiveReplanTests.at(11.5))
            await rig.configure()
            for (id, kind, hive) in [
                ("hive-1", DeviceKind.hive, nil), ("hive-2", .hive, nil), ("drone-1", .drone, "hive-1"),
                ("drone-3", .drone, "hive-2"),
            ] {
                try await rig.connect(id, kind: kind, hive: hive)
            }
            _ = try await rig.applyDay(from: 11.5 * 3600)
            await rig.run(to: LiveReplanTests.at(11) + 50 * 60, alive: ["hive-1", "hive-2", "drone-1", "drone-3"])
            try await Self.report(rig, hive: "hive-1", wind: 14)
            await rig.coordinator.runSorties()
            if settles {
                await rig.coordinator.settled()
            } else {
                // Not applied by its thread: only once the clock has moved.
                rig.clock.advance(to: rig.clock.now() + 1)
                await rig.coordinator.runSorties()
            }
            #expect(await rig.coordinator.replanCounts() == ["hive-weather": 1])
            queues.append(LiveReplanTests.snapshot(await rig.coordinator.sorties()))
            await rig.close()
        }
        #expect(queues[0] == queues[1])
    }
}
