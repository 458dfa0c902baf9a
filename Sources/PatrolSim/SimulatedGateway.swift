public import Foundation
public import Logging
public import PatrolLink
public import PatrolModel

/// A software-in-the-loop sensor gateway: many fixed sensors behind one connection, reporting in
/// `sensor_readings` batches, with actuators (fans) that obey `switch_actuator`.
///
/// Sensors are made deterministically from the scenario's seed: sensor `i` has the gateway's
/// kinds and zones in turn, a quiet value with small seeded noise, and the scripted events of
/// its kind and zone added on top. Like ``SimulatedDrone`` it runs in lockstep: each
/// ``report()`` ends with a heartbeat and waits for the echo, so every batch has been handled
/// (and acknowledged) before the clock moves on.
public final class SimulatedGateway {
    /// What went wrong in a simulated gateway.
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "simulated gateway: \(message)" }
    }

    /// What the gateway did.
    public struct Summary: Sendable {
        public var readingsSent = 0
        public var batchesSent = 0
        public var resends = 0
        /// When each actuator was switched on, on the virtual clock.
        public var switchedOn: [String: Date] = [:]
        /// Commands refused (unknown actuator or action).
        public var refusedCommands = 0
        /// Restarts after a crash (each a new connection and hello).
        public var restarts = 0
    }

    let gateway: SensorScenario.Gateway
    let scenario: SensorScenario
    let clock: VirtualClock
    var session: LockstepLink
    let logger: Logger
    /// How long to wait in real time for an answer before giving up.
    public var answerTimeout: Duration {
        get { session.answerTimeout }
        set { session.answerTimeout = newValue }
    }

    var random: SeededRandom
    var readingCounter = 0
    var pending: [String: SensorReading] = [:]
    var actuators: [String: Bool]
    var answered: [String: CommandAck] = [:]
    public internal(set) var summary = Summary()

    /// - Parameter link: a connected client whose identity is the gateway's id.
    public init(
        gateway: SensorScenario.Gateway, scenario: SensorScenario, clock: VirtualClock, link: LinkClient,
        logger: Logger
    ) {
        self.gateway = gateway
        self.scenario = scenario
        self.clock = clock
        self.session = LockstepLink(name: gateway.id, link: link, clock: clock, logger: logger)
        session.skew = gateway.clockSkew
        self.logger = logger
        self.random = SeededRandom(seed: scenario.seed ^ FNV1a64.hash(gateway.id))
        self.actuators = Dictionary(uniqueKeysWithValues: gateway.actuators.map { ($0, false) })
    }

    /// Whether `actuator` is on.
    public func isOn(_ actuator: String) -> Bool { actuators[actuator] ?? false }

    /// Says hello and waits for the welcome.
    /// - Throws: ``Failure`` when the coordinator does not answer in time.
    public func hello() async throws(Failure) {
        try await session.hello(helloMessage)
    }

    /// Every sensor reports once at the clock's current time, in batches; then waits until all
    /// are acknowledged (resending what was not, as at-least-once delivery requires).
    /// - Throws: ``Failure`` when the coordinator stops answering.
    public func report() async throws(Failure) {
        sendReadings()
        try await settle()
    }

    /// Sends every sensor's reading at the clock's current time, in batches, without waiting.
    func sendReadings() {
        let now = session.now  // the gateway's own clock, skewed by the fault
        let elapsed = clock.now().timeIntervalSince(scenario.start)
        var batch: [SensorReading] = []
        batch.reserveCapacity(min(scenario.batchSize, gateway.sensors))
        for index in 0..<gateway.sensors {
            batch.append(reading(index, at: now, elapsed: elapsed))
            if batch.count == scenario.batchSize {
                send(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { send(batch) }
    }

    /// Heartbeats until every reading sent is acknowledged, resending what was not; with
    /// `echoed`, the first heartbeat has already been sent and is only awaited.
    func settle(echoed: Bool = false) async throws(Failure) {
        var rounds = 0
        var awaitOnly = echoed
        while true {
            if awaitOnly {
                try await session.expect("heartbeat echo", handle: handle) { $0 == .heartbeat }
                awaitOnly = false
            } else {
                try await barrier()
            }
            if pending.isEmpty { return }
            rounds += 1
            if rounds > 5 { throw Failure(message: "\(pending.count) reading(s) never acknowledged") }
            let resend = pending.values.sorted { $0.id < $1.id }
            summary.resends += resend.count
            for start in stride(from: 0, to: resend.count, by: scenario.batchSize) {
                send(Array(resend[start..<min(start + scenario.batchSize, resend.count)]), fresh: false)
            }
        }
    }

    /// The reading of sensor `index` at `time`.
    func reading(_ index: Int, at time: Date, elapsed: TimeInterval) -> SensorReading {
        let kind = gateway.kinds[index % gateway.kinds.count]
        let zone = gateway.zones[(index / gateway.kinds.count) % gateway.zones.count]
        var value = SensorModel.quiet(kind, noise: random.unit())
        for event in scenario.events where event.kind == kind && event.zone == zone {
            value += SensorModel.raise(event, elapsed: elapsed)
        }
        readingCounter += 1
        return SensorReading(
            id: "\(gateway.id)/r-\(readingCounter)", sensor: "\(gateway.id)-\(kind)-\(index)",
            kind: SensorKind(rawValue: kind) ?? .temperature, value: value, unit: SensorModel.unit(kind), time: time,
            location: SensorLocation(
                position: gateway.position, building: gateway.building, floor: gateway.floor, zone: zone))
    }

    func send(_ readings: [SensorReading], fresh: Bool = true) {
        for r in readings { pending[r.id] = r }
        session.send(.sensorReadings(SensorReadings(readings: readings)))
        summary.batchesSent += 1
        if fresh { summary.readingsSent += readings.count }
    }

    /// Heartbeat and wait for its echo: everything sent before has been handled.
    /// - Throws: ``Failure`` when the coordinator stops answering.
    public func barrier() async throws(Failure) {
        try await session.barrier(handle: handle)
    }

    func handle(_ message: WireMessage) {
        switch message {
        case .readingsAck(let ack): for id in ack.readingIDs { pending[id] = nil }
        case .command(let command): obey(command)
        case .error(let report):
            logger.warning(
                "coordinator error", metadata: ["wire.code": "\(report.code)", "wire.message": "\(report.message)"])
        default: break
        }
    }

    /// Switches an owned actuator; a repeated command id gets the same answer and no second action.
    func obey(_ command: Command) {
        if let answer = answered[command.id] {
            session.send(.commandAck(answer))
            return
        }
        var answer = CommandAck(commandID: command.id, accepted: true)
        if command.action == .switchActuator, let actuator = command.actuator, let on = command.on,
            actuators[actuator] != nil
        {
            if on, actuators[actuator] == false { summary.switchedOn[actuator] = clock.now() }
            actuators[actuator] = on
        } else {
            answer = CommandAck(
                commandID: command.id, accepted: false, reason: "no such actuator or action on this gateway")
            summary.refusedCommands += 1
        }
        answered[command.id] = answer
        session.send(.commandAck(answer))
    }
}
