import Foundation
import Logging
import PatrolLink
import PatrolModel
import PatrolStore

/// Hives as the coordinator sees them: only through what they send. A door reported `stuck` and a
/// hive gone silent are equipment faults: each is recorded as an event of the hive (and of the
/// flight of a drone from that hive, if one is under way) and opens an `equipment_fault` incident
/// at the hive, as any other detection does. A drone that refuses its `start` (its hive's door,
/// its weather limits) ends its flight, aborted, with the reason recorded.
///
/// Launch gating on hive status belongs to the scheduling layer; this only records and flags.
extension Coordinator {
    /// Flags a door newly reported stuck; a door reported otherwise clears the flag.
    func checkHiveFaults(_ status: HiveStatus, at time: Date, from device: String) {
        if status.door == .stuck {
            guard stuckHiveDoors.insert(device).inserted else { return }
            equipmentFault(hive: device, kind: "hive_door_stuck", at: time, detail: "the hive reports its door stuck")
        } else {
            stuckHiveDoors.remove(device)
        }
    }

    /// Flags a hive that fell silent (called when liveness flags any device lost).
    func hiveLost(_ device: String, lostAt: Date, silence: Double) {
        guard sessions[device]?.hello.kind == .hive else { return }
        equipmentFault(
            hive: device, kind: "hive_offline", at: lostAt,
            detail: String(format: "no hive_status or heartbeat for %.1f s", silence))
    }

    /// A drone answered its `start` with a refusal: the flight is over, aborted, and says why.
    func startRefused(_ active: ActiveFlight, reason: String?, at time: Date) {
        let reason = reason ?? "refused without a reason"
        let flight = active.flight
        do {
            _ = try store.record(
                RecordedEvent(
                    deviceID: flight.deviceID, eventID: "coordinator/launch_refused-\(Self.milliseconds(time))",
                    flightID: flight.id, kind: "launch_refused", time: time, detail: reason))
        } catch {
            logger.error(
                "cannot record a refused launch", metadata: ["flight.id": "\(flight.id)", "store.error": "\(error)"])
        }
        logger.notice("launch refused", metadata: ["flight.id": "\(flight.id)", "launch.reason": "\(reason)"])
        flights[flight.id] = nil
        emit(.flightEnded(flight, report: []))
    }

    /// Records an equipment fault of `hive` and opens (or adds to) an `equipment_fault` incident at it.
    func equipmentFault(hive: String, kind: String, at time: Date, detail: String) {
        let flightID = flights.values.filter { $0.mission.hive == hive && $0.flight.status != .planned }
            .map(\.flight.id).min()
        let ms = Self.milliseconds(time)
        do {
            _ = try store.record(
                RecordedEvent(
                    deviceID: hive, eventID: "coordinator/\(kind)-\(ms)", flightID: flightID, kind: kind, time: time,
                    detail: detail))
        } catch {
            logger.error("cannot record a hive fault", metadata: ["device.id": "\(hive)", "store.error": "\(error)"])
        }
        logger.warning("hive fault", metadata: ["device.id": "\(hive)", "hive.fault": "\(kind)"])
        guard let position = hivePositions[hive] else {
            logger.warning(
                "hive fault at an unknown place: no incident opened", metadata: ["device.id": "\(hive)"])
            return
        }
        let detection = Detection(
            id: "\(hive)/\(kind)-\(ms)", time: time, kind: .equipmentFault, confidence: 1, position: position,
            positionError: 5, evidence: "\(kind): \(detail)")
        do { try fold(detection, from: hive, flightID: flightID) } catch {
            logger.error("cannot record a hive fault", metadata: ["device.id": "\(hive)", "store.error": "\(error)"])
        }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
