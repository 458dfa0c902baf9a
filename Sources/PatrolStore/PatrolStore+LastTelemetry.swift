import GRDB
public import PatrolModel

extension PatrolStore {
    /// The most recent telemetry of a flight, or `nil` when it has none yet.
    /// - Throws: ``StoreError`` when the database cannot be read.
    public func lastTelemetry(flightID: String) throws(StoreError) -> Telemetry? {
        try read {
            try TelemetryRow.filter(Column("flightID") == flightID).order(Column("time").desc, Column("id").desc)
                .fetchOne($0)?.model
        }
    }
}
