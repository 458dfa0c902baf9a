public import Foundation
public import Logging
public import PatrolLink
public import PatrolModel

/// Runs a ``CameraScenario``: one ``SimulatedNVR`` per NVR id, each on its own connection to the
/// coordinator, stepping the virtual clock one second at a time in lockstep.
public struct CameraSimulation {
    /// What a run did.
    public struct Summary: Sendable {
        public var nvrs: [String: SimulatedNVR.Summary] = [:]
        /// Simulated seconds run.
        public var simulated: TimeInterval = 0

        /// Detection ids of every scripted event, over all NVRs.
        public var sightings: [String: [String]] {
            nvrs.values.reduce(into: [:]) { all, nvr in all.merge(nvr.sightings) { $0 + $1 } }
        }
        public var falsePositives: [String] { nvrs.values.flatMap(\.falsePositives).sorted() }
    }

    public var scenario: CameraScenario
    public var logger: Logger

    public init(scenario: CameraScenario, logger: Logger) {
        self.scenario = scenario
        self.logger = logger
    }

    /// Runs the scenario against the coordinator at `endpoint`.
    /// - Parameter advanced: called after each step of the clock, before any device steps (the
    ///   runner checks the coordinator's liveness there, so a silent NVR is flagged at the same
    ///   point of the log on every run, whatever the real-time liveness timer does).
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator stops answering; ``LinkError``
    ///   when an NVR cannot connect.
    public func run(
        context: ZMQContext, endpoint: String, clock: VirtualClock, advanced: () async -> Void = {}
    ) async throws -> Summary {
        let logger = self.logger
        let nvrs = scenario.nvrs.map { id in
            SimulatedNVR(id: id, scenario: scenario, clock: clock, logger: logger) {
                try LinkClient(context: context, endpoint: endpoint, identity: id, logger: logger)
            }
        }
        defer { for nvr in nvrs { nvr.close() } }
        for nvr in nvrs { try await nvr.start() }
        let steps = Int(scenario.duration.rounded(.down))
        for second in 0...steps {
            clock.advance(to: scenario.start.addingTimeInterval(Double(second)))
            await advanced()
            for nvr in nvrs { try await nvr.step() }
        }
        var summary = Summary()
        for nvr in nvrs { summary.nvrs[nvr.id] = nvr.summary }
        summary.simulated = Double(steps)
        return summary
    }
}
