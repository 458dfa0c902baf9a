public import Foundation
public import Logging
import PatrolAlerts
import PatrolGeo
public import PatrolLink
public import PatrolModel
public import PatrolPlanner
import PatrolReports
public import PatrolStore

/// The running coordinator: the one owner of live state (devices, flights in progress, open
/// incidents). It reads every frame from the link, validates it, records it in the store,
/// folds detections into incidents, drives flights through upload, start and landing, and
/// writes each flight's report when it lands.
///
/// Devices are untrusted: a frame that does not decode, comes from a device that has not said
/// hello, or carries impossible values is answered with an `error` message and logged, and
/// nothing from it is stored. What was accepted before is kept.
public actor Coordinator {
    struct Session {
        var peer: PeerID
        var hello: Hello
    }

    struct ActiveFlight {
        var flight: Flight
        var plan: CoveragePlan
        var mission: Mission
        var site: Site
        var startCommand: String?
    }

    let store: PatrolStore
    let link: LinkServer
    let clock: any PatrolClock
    let configuration: CoordinatorConfiguration
    let logger: Logger
    var fusion: AlertFusion
    var sessions: [String: Session] = [:]
    var devicesByPeer: [PeerID: String] = [:]
    var flights: [String: ActiveFlight] = [:]
    var pendingLaunches: [String: String] = [:]  // device -> flight
    var telemetryBuffer: [TelemetrySample] = []
    var commandCounter = 0
    /// When each registered device was last heard from, on ``clock``.
    var lastHeard: [String: Date] = [:]
    /// Devices flagged lost and not heard from since.
    var lostDevices: Set<String> = []
    /// Actuators (`device/actuator`) a rule has switched on; each is commanded once.
    var actuatorsOn: Set<String> = []
    /// Robot rounds in progress, by flight id, and when each robot last had to warn of each gas.
    var robotRounds: [String: ActiveRound] = [:]
    var robotWarnings: [String: Date] = [:]
    /// Observers of every event, called synchronously on the actor (see ``addEventSink(_:)``).
    var eventSinks: [EventSink] = []
    /// Counters and latencies for `/metrics` (see `Coordinator+Metrics.swift`).
    var stats = CoordinatorStats()
    /// Extra samples for `/metrics` (``addMetricsSource(_:)``).
    var metricSources: [MetricsSource] = []
    /// When the frame being handled arrived, for latency figures.
    var frameStarted: ContinuousClock.Instant?
    /// Operator commands waiting for the device's `command_ack` (see `Coordinator+Commands.swift`).
    var commandWaiters: [String: CommandWaiter] = [:]
    /// Requested sorties and what the sortie layer knows of the fleet (see `Coordinator+Sorties.swift`).
    var sortieBook = SortieBook()
    /// Flights an operator aborted: recorded as `aborted`, not `completed`, when they land.
    var abortedFlights: Set<String> = []
    /// Where each hive of the launched sites is, for the incidents of its faults.
    var hivePositions: [String: LonLat] = [:]
    /// Hives whose door is reported stuck, each flagged once until it is reported otherwise.
    var stuckHiveDoors: Set<String> = []
    /// Each device's clock offset samples (see Coordinator+Clocks.swift).
    var clockSamples: [String: ClockOffsetSamples] = [:]
    /// The last `seq` read from each device in its session (reset by its `hello`).
    var lastSequence: [String: UInt64] = [:]
    private let eventContinuation: AsyncStream<CoordinatorEvent>.Continuation
    /// Everything the coordinator reports, in order.
    public nonisolated let events: AsyncStream<CoordinatorEvent>

    /// - Parameters:
    ///   - store: the record; open incidents are reloaded from it so fusion survives a restart.
    ///   - link: the bound device endpoint.
    ///   - clock: the source of "now" (virtual in simulations).
    /// - Throws: ``StoreError`` when the open incidents cannot be read.
    public init(
        store: PatrolStore, link: LinkServer, clock: any PatrolClock, configuration: CoordinatorConfiguration = .init(),
        logger: Logger
    ) throws(StoreError) {
        self.store = store
        self.link = link
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        let open = try store.alerts(states: [.new, .dispatched, .acknowledged, .inProgress, .reopened])
        // Ended incidents seen lately, so a re-ignition after a restart still links to its predecessor.
        let policy = FusionPolicy()
        let since = clock.now().addingTimeInterval(-policy.relinkWindow)
        let ended = try store.alerts(states: AlertFusion.endedStates).filter { $0.lastSeen >= since }
        fusion = AlertFusion(policy: policy, open: open, ended: ended, nextNumber: try store.nextAlertNumber())
        // After a restart, command ids go on from the record's: a reused id would overwrite a command's row.
        commandCounter = try store.lastCommandNumber()
        (events, eventContinuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Handles frames until the link closes or the task is cancelled, watching for lost devices
    /// meanwhile, then flushes buffered telemetry.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.watchLiveness() }
            // In arrays, each what the link's thread read in one poll round: one hand-off per array.
            batches: for await batch in link.inboundBatches {
                for frame in batch {
                    if Task.isCancelled { break batches }
                    handle(frame)
                }
            }
            group.cancelAll()
        }
        flush()
        eventContinuation.finish()
    }

    /// Plans are uploaded to `device` as soon as it is connected (now, if it already is).
    ///
    /// The flight is recorded with its plan record (mission, site snapshot, planned area), so
    /// its report can be rebuilt from the database alone.
    ///
    /// - Parameter siteFile: the site file the site came from, kept in the record for follow-ups.
    /// - Returns: the new flight's id.
    public func launch(
        _ plan: CoveragePlan, mission: Mission, site: Site, siteFile: URL? = nil, device: String
    ) throws(StoreError) -> String {
        let id = Self.flightID(mission: mission.id, device: device, at: clock.now())
        let flight = Flight(id: id, missionID: mission.id, deviceID: device, status: .planned, route: plan.route)
        try store.save(flight)
        try store.save(
            FlightPlanRecord(
                flightID: id, mission: mission, site: site, siteFile: siteFile?.path, plannedArea: plan.targetArea))
        flights[id] = ActiveFlight(flight: flight, plan: plan, mission: mission, site: site)
        for hive in site.hives { hivePositions[hive.id] = hive.position }
        pendingLaunches[device] = id
        if sessions[device] != nil { upload(flightID: id) }
        return id
    }

    /// A readable, sortable flight id: mission, UTC start of planning, device.
    static func flightID(mission: String, device: String, at time: Date) -> String {
        let format = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day()
            .dateTimeSeparator(.standard).time(includingFractionalSeconds: false).timeSeparator(.omitted)
            .dateSeparator(.omitted)
        return "\(mission)-\(time.formatted(format))Z-\(device)"
    }

    /// Writes buffered telemetry to the store.
    public func flush() {
        guard !telemetryBuffer.isEmpty else { return }
        let started = ContinuousClock.now
        defer { stats.flushLatency.observe(ContinuousClock.now - started) }
        do {
            try store.append(telemetryBuffer)
            telemetryBuffer.removeAll(keepingCapacity: true)
        } catch {
            // Keep the rows: the next flush tries again; nothing accepted is dropped.
            logger.error(
                "cannot store telemetry",
                metadata: ["store.error": "\(error)", "telemetry.buffered": "\(telemetryBuffer.count)"])
        }
    }

    func emit(_ event: CoordinatorEvent) {
        eventContinuation.yield(event)
        deliver(event)
    }

    func send(_ message: WireMessage, to device: String) {
        guard let session = sessions[device] else { return }
        stats.messagesOut[message.type, default: 0] += 1
        link.send(message, to: session.peer, device: device, time: clock.now())
    }

    func refuse(_ peer: PeerID, device: String?, code: String, _ message: String, sequence: UInt64?) {
        logger.warning(
            "refused a frame",
            metadata: [
                "device.id": "\(device ?? "unknown")", "link.peer": "\(peer)", "wire.code": "\(code)",
                "wire.message": "\(message)",
            ])
        stats.refused[code, default: 0] += 1
        stats.messagesOut["error", default: 0] += 1
        link.send(
            .error(WireErrorReport(code: code, message: message, refSequence: sequence)), to: peer,
            device: device ?? "", time: clock.now())
        emit(.deviceError(device: device, message: "\(code): \(message)"))
    }

    func nextCommandID() -> String {
        commandCounter += 1
        return "cmd-\(commandCounter)"
    }

    func upload(flightID: String) {
        guard var active = flights[flightID] else { return }
        let device = active.flight.deviceID
        send(.missionUpload(MissionUpload(flightID: flightID, route: active.plan.route)), to: device)
        active.flight.status = .planned
        flights[flightID] = active
        pendingLaunches[device] = nil
        logger.info("mission uploaded", metadata: ["device.id": "\(device)", "flight.id": "\(flightID)"])
        emit(.missionUploaded(flightID: flightID, device: device, waypoints: active.plan.route.waypoints.count))
    }
}
