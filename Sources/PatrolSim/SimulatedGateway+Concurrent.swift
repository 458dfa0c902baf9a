import PatrolLink

/// The halves of a gateway's lockstep exchanges, for scenarios whose gateways step together
/// (``SensorScenario/concurrent``): everything is sent first, then every answer awaited.
extension SimulatedGateway {
    var helloMessage: Hello {
        Hello(
            kind: .sensorGateway, capabilities: gateway.actuators.isEmpty ? [] : ["actuator.switch"],
            firmware: "patrol-sim/1")
    }

    /// Sends this step's readings (when `reporting`) and the heartbeat that ends the step; finish
    /// with ``settle(echoed:)`` and `echoed: true`.
    func startStep(reporting: Bool) {
        if reporting { sendReadings() }
        session.send(.heartbeat)
    }
}
