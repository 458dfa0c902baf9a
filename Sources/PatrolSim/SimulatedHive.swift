public import Foundation
public import Logging
public import PatrolLink
public import PatrolModel

/// A software-in-the-loop hive that reports its door, charging and weather station with
/// `hive_status`, from the scenario's weather, in lockstep like the other simulated devices.
public final class SimulatedHive {
    let id: String
    let weather: SensorScenario.Weather
    let clock: VirtualClock
    let link: LinkClient
    let inbox: Inbox<Result<Envelope, LinkError>>
    /// How long to wait in real time for an answer before giving up.
    public var answerTimeout: Duration = .seconds(30)
    /// How many `hive_status` messages were sent.
    public private(set) var statusesSent = 0

    /// - Parameter link: a connected client whose identity is `id`.
    public init(id: String, weather: SensorScenario.Weather, clock: VirtualClock, link: LinkClient) {
        self.id = id
        self.weather = weather
        self.clock = clock
        self.link = link
        self.inbox = Inbox(link.inbound)
    }

    /// Says hello and waits for the welcome.
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator does not answer in time.
    public func hello() async throws(SimulatedGateway.Failure) {
        link.send(.hello(Hello(kind: .hive, capabilities: ["weather"], firmware: "patrol-sim/1")), time: clock.now())
        try await expect("welcome") { if case .welcome = $0 { true } else { false } }
    }

    /// Sends one status at the clock's current time and waits until it has been handled.
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator stops answering.
    public func report() async throws(SimulatedGateway.Failure) {
        let status = HiveStatus(
            door: .closed, charging: false, windSpeed: weather.windSpeed, windFrom: weather.windFrom,
            rain: weather.rain,
            temperature: weather.temperature)
        link.send(.hiveStatus(status), time: clock.now())
        statusesSent += 1
        try await barrier()
    }

    /// Heartbeat and wait for its echo.
    /// - Throws: ``SimulatedGateway/Failure`` when the coordinator stops answering.
    public func barrier() async throws(SimulatedGateway.Failure) {
        link.send(.heartbeat, time: clock.now())
        try await expect("heartbeat echo") { $0 == .heartbeat }
    }

    func expect(_ what: String, _ matches: (WireMessage) -> Bool) async throws(SimulatedGateway.Failure) {
        while true {
            guard let next = await inbox.next(timeout: answerTimeout) else {
                throw SimulatedGateway.Failure(message: "hive \(id): no \(what) within \(answerTimeout)")
            }
            if case .success(let envelope) = next, matches(envelope.message) { return }
        }
    }
}
