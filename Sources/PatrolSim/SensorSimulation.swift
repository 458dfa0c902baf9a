public import Foundation
public import Logging
public import PatrolLink
public import PatrolModel

/// Runs a ``SensorScenario``: connects its gateways and hive to a coordinator's endpoint and
/// steps the virtual clock by the report interval, each device reporting in lockstep.
public struct SensorSimulation {
    /// What a run did.
    public struct Summary: Sendable {
        public var gateways: [String: SimulatedGateway.Summary] = [:]
        public var hiveStatuses = 0
        /// What the adversarial device sent and got back, if the scenario has one.
        public var adversary: SimulatedAdversary.Summary?
        /// Simulated seconds run.
        public var simulated: TimeInterval = 0

        /// Readings sent by every gateway (not counting resends).
        public var readingsSent: Int { gateways.values.reduce(0) { $0 + $1.readingsSent } }
    }

    public var scenario: SensorScenario
    public var logger: Logger

    public init(scenario: SensorScenario, logger: Logger) {
        self.scenario = scenario
        self.logger = logger
    }

    /// Runs the scenario against the coordinator at `endpoint`.
    ///
    /// - Parameters:
    ///   - options: each device's link options, by device id (CURVE keys in a field test).
    ///   - pace: awaited before the clock moves to each step's time; real-time runs sleep there
    ///     until the wall clock reaches it (lockstep runs do not wait).
    ///   - step: called after each step with the virtual time reached (for progress and tests).
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator stops answering; ``LinkError``
    ///   when a device cannot connect.
    /// - Parameter advanced: called after each step of the clock, before any device steps (the
    ///   runner checks liveness there, so a crashed gateway is flagged at the same point every run).
    public func run(
        context: ZMQContext, endpoint: String, clock: VirtualClock,
        options: (String) throws -> LinkOptions = { _ in LinkOptions() }, pace: ((Date) async -> Void)? = nil,
        step: (Date) -> Void = { _ in }, advanced: () async -> Void = {}
    ) async throws -> Summary {
        var clients: [LinkClient] = []
        defer { for client in clients { client.close() } }
        var gateways: [SimulatedGateway] = []
        for gateway in scenario.gateways {
            let client = try LinkClient(
                context: context, endpoint: endpoint, identity: gateway.id, logger: logger, options: options(gateway.id)
            )
            clients.append(client)
            let device = SimulatedGateway(
                gateway: gateway, scenario: scenario, clock: clock, link: client, logger: logger)
            // One after the other even when stepping together, so registrations are logged in order.
            try await device.hello()
            gateways.append(device)
        }
        var hive: SimulatedHive?
        if let id = scenario.hive {
            let client = try LinkClient(
                context: context, endpoint: endpoint, identity: id, logger: logger, options: options(id))
            clients.append(client)
            let device = SimulatedHive(id: id, weather: scenario.weather, clock: clock, link: client, logger: logger)
            try await device.hello()
            hive = device
        }
        var adversary: SimulatedAdversary?
        if let id = scenario.adversary {
            let client = try LinkClient(
                context: context, endpoint: endpoint, identity: id, logger: logger, options: options(id))
            clients.append(client)
            let device = SimulatedAdversary(id: id, clock: clock, link: client, logger: logger)
            try await device.hello()
            adversary = device
        }
        // One step per heartbeat interval (1 s), so no device is ever silent long enough to be
        // lost; sensors report on the steps that are multiples of the report interval.
        let reportSteps = max(1, Int(scenario.reportEvery.rounded()))
        var down: Set<String> = []
        let steps = Int(scenario.duration.rounded(.down))
        for second in 0...steps {
            let time = scenario.start.addingTimeInterval(Double(second))
            if let pace { await pace(time) }
            clock.advance(to: time)
            await advanced()
            let reporting = second % reportSteps == 0
            if scenario.concurrent {
                // Every gateway's frames and heartbeat out first, then the echoes: one round trip a step.
                for gateway in gateways { gateway.startStep(reporting: reporting) }
                for gateway in gateways { try await gateway.settle(echoed: true) }
            } else {
                for (index, gateway) in gateways.enumerated() {
                    // A crashed gateway is gone without a goodbye; after the window it comes back on a new connection.
                    let id = gateway.gateway.id
                    if scenario.faults.contains(where: { $0.device == id && $0.active(at: Double(second)) }) {
                        if !down.contains(id) {
                            down.insert(id)
                            clients[index].close()
                        }
                        continue
                    }
                    if down.remove(id) != nil {
                        let client = try LinkClient(
                            context: context, endpoint: endpoint, identity: id, logger: logger, options: options(id))
                        clients[index] = client
                        try await gateway.restart(link: client)
                    }
                    if reporting { try await gateway.report() } else { try await gateway.barrier() }
                }
            }
            if reporting { try await hive?.report() } else { try await hive?.barrier() }
            if let adversary { if reporting { try await adversary.attack() } else { try await adversary.barrier() } }
            step(clock.now())
        }
        var summary = Summary()
        for gateway in gateways { summary.gateways[gateway.gateway.id] = gateway.summary }
        summary.hiveStatuses = hive?.statusesSent ?? 0
        summary.adversary = adversary?.summary
        summary.simulated = Double(steps)
        return summary
    }
}
