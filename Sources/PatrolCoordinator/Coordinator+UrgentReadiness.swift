import Foundation
import Logging
import PatrolModel
import PatrolPlanner

/// Docked drones not ready yet, compared for an urgent sortie by when they could be overhead
/// (see `docs/scheduling.md`, "Choosing the drone for an urgent sortie"): a drone in its hive's
/// turnaround counts the rest of it, and one that must charge first the charger's time to what
/// the look needs (`UrgentSortie.docked`), before its launch, climb and transit. When such a drone
/// is overhead soonest, the urgent sortie waits for it (nothing is interrupted meanwhile) and is
/// judged again at that time.
extension Coordinator {
    /// Seconds left of `vehicle`'s turnaround when that is all that keeps it from flying (not
    /// lost, not flying, no flight open); `nil` otherwise.
    func turnaroundLeft(_ vehicle: String, now: Date) -> Double? {
        guard !lostDevices.contains(vehicle),
            !sortieBook.live.contains(where: { sortieBook.entries[$0]?.status.vehicle == vehicle }),
            !flights.values.contains(where: { $0.flight.deviceID == vehicle && $0.flight.status != .aborted }),
            let landed = sortieBook.landedAt[vehicle], let hive = droneHive(vehicle),
            let turnaround = sortieBook.fleet?.fleet.hive(hive)?.turnaround
        else { return nil }
        let left = landed.addingTimeInterval(turnaround).timeIntervalSince(now)
        return left > 0 ? left : nil
    }

    /// Keeps urgent sortie `id` queued for the docked drone of `chosen`, overhead soonest though
    /// not ready yet: it is tried again when the drone should be ready.
    func holdUrgent(_ id: String, for chosen: VerificationEstimate, now: Date) {
        guard var entry = sortieBook.entries[id] else { return }
        entry.status.plannedLaunch = now.addingTimeInterval(chosen.toCommand.rounded(.up))
        entry.status.reason = String(
            format: "waiting for %@, ready in %.0f s: overhead in %.0f s, sooner than any drone now", chosen.drone,
            chosen.toCommand, chosen.toOverhead)
        sortieBook.entries[id] = entry
        sortieBook.recomputeNextDue()
        logger.notice(
            "urgent sortie waits for a docked drone",
            metadata: [
                "sortie.id": "\(id)", "device.id": "\(chosen.drone)",
                "dispatch.ready_s": "\(Self.seconds(chosen.toCommand))",
            ])
        sortieChanged(entry.status)
    }
}
