import PatrolLink

/// The halves of a gateway's lockstep exchanges, for scenarios whose gateways step together
/// (``SensorScenario/concurrent``): everything is sent first, then every answer awaited.
extension SimulatedGateway {
    var helloMessage: Hello {
        Hello(
            kind: .sensorGateway, capabilities: gateway.actuators.isEmpty ? [] : ["actuator.switch"],
            firmware: "patrol-sim/1")
    }

    /// Sends the hello without waiting for the welcome.
    func sendHello() { session.send(.hello(helloMessage)) }

    /// Waits for the welcome of ``sendHello()``.
    func awaitWelcome() async throws(Failure) {
        try await session.expect("welcome", handle: { _ in }) { if case .welcome = $0 { true } else { false } }
    }

    /// Sends this step's readings (when `reporting`) and the heartbeat that ends the step; finish
    /// with ``settle(echoed:)`` and `echoed: true`.
    func startStep(reporting: Bool) {
        if reporting { sendReadings() }
        session.send(.heartbeat)
    }
}
