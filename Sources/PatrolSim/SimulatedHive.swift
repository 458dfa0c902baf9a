import Foundation
public import Logging
public import PatrolLink
public import PatrolModel

/// A software-in-the-loop hive that reports its door, charging and weather station with
/// `hive_status`, from the scenario's weather, in lockstep like the other simulated devices.
public final class SimulatedHive {
    let id: String
    let weather: SensorScenario.Weather
    let session: LockstepLink
    /// How many `hive_status` messages were sent.
    public private(set) var statusesSent = 0

    /// - Parameter link: a connected client whose identity is `id`.
    public init(id: String, weather: SensorScenario.Weather, clock: VirtualClock, link: LinkClient, logger: Logger) {
        self.id = id
        self.weather = weather
        self.session = LockstepLink(name: id, link: link, clock: clock, logger: logger)
    }

    /// Says hello and waits for the welcome.
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator does not answer in time.
    public func hello() async throws(SimulatedGateway.Failure) {
        try await session.hello(Hello(kind: .hive, capabilities: ["weather"], firmware: "patrol-sim/1"))
    }

    /// Sends one status at the clock's current time and waits until it has been handled.
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator stops answering.
    public func report() async throws(SimulatedGateway.Failure) {
        let status = HiveStatus(
            door: .closed, charging: false, windSpeed: weather.windSpeed, windFrom: weather.windFrom,
            rain: weather.rain,
            temperature: weather.temperature)
        session.send(.hiveStatus(status))
        statusesSent += 1
        try await barrier()
    }

    /// Heartbeat and wait for its echo.
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator stops answering.
    public func barrier() async throws(SimulatedGateway.Failure) {
        try await session.barrier(handle: { _ in })
    }
}
