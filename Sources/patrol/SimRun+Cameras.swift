import Foundation
import Logging
import PatrolAlerts
import PatrolCoordinator
import PatrolLink
import PatrolModel
import PatrolSim
import PatrolStore

extension SimRun {
    /// Runs a fixed-camera scenario (one with `cameras:`): NVR boxes stream their cameras'
    /// detections to a real coordinator over ZeroMQ on the virtual clock, with the scenario's faults.
    func runCameras() async throws -> Result {
        let began = ContinuousClock.now
        let scenario = try CameraScenario.load(from: scenarioFile)
        let (store, database) = try freshStore()
        let clock = VirtualClock(start: scenario.start)
        let context = ZMQContext()
        defer { context.shutdown() }
        let server = try simServer(context, clock: clock)
        defer { server.close() }
        let coordinator = try simCoordinator(store: store, server: server, clock: clock)
        let service = Task { await coordinator.run() }
        let watcher = EventLog.collect(coordinator)
        let summary = try await CameraSimulation(scenario: scenario, logger: logger)
            .run(context: context, endpoint: server.endpoint, clock: clock) { await coordinator.checkLiveness() }
        server.close()
        await service.value
        var lines = await watcher.value
        let end = clock.now()
        var stored = 0
        for nvr in scenario.nvrs {
            stored += try store.detections(device: nvr, from: scenario.start, to: end).count
        }
        lines.append("detections \(stored) false-positives \(summary.falsePositives.count)")
        for alert in try store.alerts().sorted(by: { $0.id < $1.id }) { lines.append(EventLog.line(alert)) }
        var result = Result(
            lines: lines, simulated: summary.simulated, wallSeconds: (ContinuousClock.now - began).seconds,
            database: database, sensors: nil)
        result.cameras = summary
        return result
    }
}
