import Foundation
import PatrolModel
public import PatrolReports
public import PatrolStore

extension PatrolStore {
    /// Everything a robot round's report is made from, read from the record alone: the round (a
    /// flight with its plan record and its ``RobotRoundRecord``), its telemetry, the robot's gas
    /// readings and detections from start to end (readings over threshold with the incident they
    /// raised), the incidents, the commands sent to the robot with what it was told to say, and its events.
    ///
    /// - Throws: ``ReportRecordError`` when there is no such round or it has no plan record;
    ///   ``StoreError`` when the database cannot be read.
    public func roundReportInput(flightID: String) throws -> RoundReport.Input {
        guard let flight = try flight(flightID), let round = try robotRound(flightID) else {
            throw ReportRecordError(message: "no robot round `\(flightID)` in \(path)")
        }
        guard let plan = try flightPlan(flightID) else {
            throw ReportRecordError(message: "robot round `\(flightID)` has no plan record in \(path)")
        }
        let track = try telemetry(flightID: flightID)
        let start = flight.startedAt ?? track.first?.time ?? .distantPast
        let end = flight.endedAt ?? track.last?.time ?? start
        let device = flight.deviceID
        let found = try detections(device: device, from: start, to: end)
        let alertOf = Dictionary(found.map { ($0.detection.id, $0.alertID) }, uniquingKeysWith: { a, _ in a })
        let stored = try readings(device: device, from: start, to: end)
        let readingIDs = Set(stored.map(\.readingID))
        let readings = stored.map {
            RoundReport.Reading(
                id: $0.readingID, kind: $0.kind, value: $0.value, unit: $0.unit, time: $0.time, position: $0.position,
                floor: $0.floor, alertID: alertOf[$0.readingID] ?? nil)
        }
        let sightings = found.filter { !readingIDs.contains($0.detection.id) }
        let alertIDs = Set(found.compactMap(\.alertID))
        let alerts = try alertIDs.sorted().compactMap { (id) throws -> Alert? in try alert(id) }
        let texts = Dictionary(
            try spokenWarnings(device: device, from: start, to: end).map { ($0.commandID, $0.text) },
            uniquingKeysWith: { a, _ in a })
        let commands = try commands(device: device, from: start, to: end).map {
            RoundReport.SentCommand(
                id: $0.id, action: $0.action, sentAt: $0.sentAt, accepted: $0.accepted, text: texts[$0.id])
        }
        let events = try events(flightID: flightID).filter { $0.deviceID == device }.map {
            (time: $0.time, kind: $0.kind, detail: $0.detail)
        }
        return RoundReport.Input(
            site: plan.site, mission: plan.mission, flight: flight, station: round.station,
            checkpoints: round.checkpoints, telemetry: track, readings: readings, detections: sightings, alerts: alerts,
            commands: commands, events: events)
    }
}
