import Foundation
import GRDB
public import PatrolModel

/// What taking in an observation reads and writes: the store itself (each call its own
/// transaction) or a ``StoreTransaction`` (everything in the one transaction that is open).
public protocol ObservationRecord {
    /// Whether the device's observation `detectionID` is already recorded (a resend).
    func hasDetection(deviceID: String, detectionID: String) throws(StoreError) -> Bool
    /// The alert with `id`, if there is one.
    func alert(_ id: String) throws(StoreError) -> Alert?
    /// Records an observation with the incident it joined or opened (see
    /// ``PatrolStore/recordObservation(_:deviceID:flightID:incident:)``).
    @discardableResult
    func recordObservation(
        _ detection: Detection, deviceID: String, flightID: String?, incident: IncidentChange?
    ) throws(StoreError) -> Bool
}

extension PatrolStore: ObservationRecord {}

/// One write transaction of a ``PatrolStore`` in progress (``PatrolStore/transaction(_:)``):
/// everything done through it commits together or not at all. Reads see its own writes. Valid
/// only inside the closure it was given to.
public struct StoreTransaction: ObservationRecord {
    let db: Database
    let path: String

    private func run<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do { return try body() } catch { throw StoreError(message: "\(error)", path: path) }
    }

    /// Appends telemetry rows (see ``PatrolStore/append(_:)``).
    public func append(_ samples: [TelemetrySample]) throws(StoreError) {
        guard !samples.isEmpty else { return }
        try run { try PatrolStore.append(samples, in: db) }
    }

    public func hasDetection(deviceID: String, detectionID: String) throws(StoreError) -> Bool {
        try run {
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM detection WHERE deviceID = ? AND detectionID = ? LIMIT 1"),
                arguments: [deviceID, detectionID]) != nil
        }
    }

    public func alert(_ id: String) throws(StoreError) -> Alert? {
        try run { try AlertRow.fetchOne(db, key: id)?.model }
    }

    @discardableResult
    public func recordObservation(
        _ detection: Detection, deviceID: String, flightID: String?, incident: IncidentChange?
    ) throws(StoreError) -> Bool {
        try run {
            try PatrolStore.recordObservation(
                detection, deviceID: deviceID, flightID: flightID, incident: incident, in: db)
        }
    }
}

extension PatrolStore {
    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws
    /// (its error is rethrown as a ``StoreError``). The coordinator writes a detection together with
    /// the telemetry batch it has pending so, one commit for both (docs/alerts.md, "Durability").
    public func transaction<T>(_ body: (StoreTransaction) throws -> T) throws(StoreError) -> T {
        let path = path
        do {
            return try pool.write { db in try body(StoreTransaction(db: db, path: path)) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(message: "\(error)", path: path)
        }
    }
}
