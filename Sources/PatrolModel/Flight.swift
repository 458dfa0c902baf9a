public import Foundation

/// One sortie of one vehicle flying one mission.
public struct Flight: Hashable, Sendable, Codable, Identifiable {
    /// How a flight ended (or that it has not).
    public enum Status: String, Hashable, Sendable, Codable {
        case planned, uploaded, flying, completed, aborted
    }

    public var id: String
    public var missionID: String
    public var deviceID: String
    public var status: Status
    public var route: Route
    public var startedAt: Date?
    public var endedAt: Date?

    public init(
        id: String, missionID: String, deviceID: String, status: Status, route: Route, startedAt: Date? = nil,
        endedAt: Date? = nil
    ) {
        self.id = id
        self.missionID = missionID
        self.deviceID = deviceID
        self.status = status
        self.route = route
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}
