public import Foundation
import GRDB

/// When a kept sortie may leave, beyond its request (migration `v14-round-moves`): its
/// occurrence's due time (its hold runs `window_min` from it), and for a robot round moved later
/// or shifted off a narrow edge, its new launch, robot, reason and the end of its hold.
public struct KeptSortieTiming: Hashable, Sendable {
    public var due: Date?
    public var launch: Date?
    public var vehicle: String?
    public var reason: String?
    public var holdUntil: Date?
    /// For a round moved off a robot lost or faulted: that robot and the launch it had there.
    public var movedOffVehicle: String?
    public var movedOffLaunch: Date?

    public init(
        due: Date? = nil, launch: Date? = nil, vehicle: String? = nil, reason: String? = nil, holdUntil: Date? = nil,
        movedOffVehicle: String? = nil, movedOffLaunch: Date? = nil
    ) {
        self.due = due
        self.launch = launch
        self.vehicle = vehicle
        self.reason = reason
        self.holdUntil = holdUntil
        self.movedOffVehicle = movedOffVehicle
        self.movedOffLaunch = movedOffLaunch
    }
}

extension PatrolStore {
    /// Records a kept sortie's occurrence due time; a sortie that was never kept is left alone.
    /// - Throws: ``StoreError`` when it cannot be written.
    public func saveSortieDue(id: String, due: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE sortieRequest SET due = ? WHERE id = ?", arguments: [due, id])
        }
    }

    /// Records where a kept round was moved or shifted to: its launch, robot, reason, the end of
    /// its hold (`nil`: from its due time) and the robot it was moved off (lost or faulted) with
    /// the launch it had there; a sortie that was never kept is left alone.
    /// - Throws: ``StoreError`` when it cannot be written.
    public func saveSortieMove(
        id: String, launch: Date, vehicle: String?, reason: String?, holdUntil: Date?,
        movedOff: (vehicle: String, launch: Date)? = nil
    ) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE sortieRequest SET movedLaunch = ?, movedVehicle = ?, moveReason = ?, holdUntil = ?, \
                    movedOffVehicle = ?, movedOffLaunch = ? WHERE id = ?
                    """,
                arguments: [launch, vehicle, reason, holdUntil, movedOff?.vehicle, movedOff?.launch, id])
        }
    }

    /// A kept sortie's timing, `nil` when it was never kept.
    /// - Throws: ``StoreError`` when it cannot be read.
    public func sortieTiming(id: String) throws(StoreError) -> KeptSortieTiming? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT due, movedLaunch, movedVehicle, moveReason, holdUntil, movedOffVehicle, movedOffLaunch \
                    FROM sortieRequest WHERE id = ?
                    """,
                arguments: [id]
            ).map {
                KeptSortieTiming(
                    due: $0["due"], launch: $0["movedLaunch"], vehicle: $0["movedVehicle"], reason: $0["moveReason"],
                    holdUntil: $0["holdUntil"], movedOffVehicle: $0["movedOffVehicle"],
                    movedOffLaunch: $0["movedOffLaunch"])
            }
        }
    }
}
